import { AutoActionSlots1796410000000 } from './1796410000000-auto-action-slots';
import { InitialSchema1763848800000 } from './1763848800000-initial-schema';
import { UserStatus1796130613000 } from './1796130613000-user-status';
import { RiskScores1796130700000 } from './1796130700000-risk-scores';
import { AgentIdentity1796140000000 } from './1796140000000-agent-identity';
import { RetentionIndexes1796170000000 } from './1796170000000-retention-indexes';
import { EventSequence1796180000000 } from './1796180000000-event-sequence';
import { AgentCertificateRenewal1796180100000 } from './1796180100000-agent-certificate-renewal';
import { AgentHealth1796180200000 } from './1796180200000-agent-health';
import { AlertKind1796180300000 } from './1796180300000-alert-kind';
import { WorkstationTags1796210000000 } from './1796210000000-workstation-tags';
import { PlaybookVersions1796210100000 } from './1796210100000-playbook-versions';

import { Approvals1796220000000 } from './1796220000000-approvals';
import { AlertSuspects1796230000000 } from './1796230000000-alert-suspects';
import { PlaybookDecisions1796250000000 } from './1796250000000-playbook-decisions';
import { StaffRoles1796260000000 } from './1796260000000-staff-roles';
import { AlertTriage1796280000000 } from './1796280000000-alert-triage';
import { AuditFilters1796300000000 } from './1796300000000-audit-filters';
import { LoginBackoff1796310000000 } from './1796310000000-login-backoff';
import { SessionActivity1796320000000 } from './1796320000000-session-activity';
import { Incidents1796340000000 } from './1796340000000-incidents';
import { OidcSignIn1796360000000 } from './1796360000000-oidc-sign-in';
import { Forwarding1796330000000 } from './1796330000000-forwarding';
import { WorkstationKeks1796380000000 } from './1796380000000-workstation-keks';
import { OverviewIndexes1796390000000 } from './1796390000000-overview-indexes';
import { DutyRequests1796440000000 } from './1796440000000-duty-requests';
import { EnrollmentTokenRevocation1796470000000 } from './1796470000000-enrollment-token-revocation';
import { ReportIndexes1796480000000 } from './1796480000000-report-indexes';
import { DropCommandAutomaticIndex1796560000000 } from './1796560000000-drop-command-automatic-index';
import { SiteSettings1796600000000 } from './1796600000000-site-settings';
import { ForwardLastDelivery1796610000000 } from './1796610000000-forward-last-delivery';

import { Mfa1796350000000 } from './1796350000000-mfa';
import { SecurityKeys1796460000000 } from './1796460000000-security-keys';
import { ResponseCommands1796200000000 } from './1796200000000-response-commands';
import { Policies1796370000000 } from './1796370000000-policies';
import { ThreatTiers1796420000000 } from './1796420000000-threat-tiers';
import { AlertIdentityMismatch1796620000000 } from './1796620000000-alert-identity-mismatch';
import { RiskScoreAlertIndex1796630000000 } from './1796630000000-risk-score-alert-index';
import { AgentReads1796640000000 } from './1796640000000-agent-reads';

/** Every migration, oldest first. */
export const migrations = [
  InitialSchema1763848800000,
  UserStatus1796130613000,
  RiskScores1796130700000,
  AgentIdentity1796140000000,
  RetentionIndexes1796170000000,
  EventSequence1796180000000,
  AgentCertificateRenewal1796180100000,
  AgentHealth1796180200000,
  AlertKind1796180300000,
  WorkstationTags1796210000000,
  PlaybookVersions1796210100000,

  Approvals1796220000000,

  ResponseCommands1796200000000,
  AlertSuspects1796230000000,
  PlaybookDecisions1796250000000,
  StaffRoles1796260000000,
  AlertTriage1796280000000,
  AuditFilters1796300000000,
  LoginBackoff1796310000000,
  SessionActivity1796320000000,
  Forwarding1796330000000,
  Incidents1796340000000,
  Mfa1796350000000,
  OidcSignIn1796360000000,
  Policies1796370000000,
  WorkstationKeks1796380000000,
  OverviewIndexes1796390000000,
  AutoActionSlots1796410000000,
  ThreatTiers1796420000000,
  DutyRequests1796440000000,
  SecurityKeys1796460000000,
  EnrollmentTokenRevocation1796470000000,
  ReportIndexes1796480000000,
  DropCommandAutomaticIndex1796560000000,
  SiteSettings1796600000000,
  ForwardLastDelivery1796610000000,
  AlertIdentityMismatch1796620000000,
  RiskScoreAlertIndex1796630000000,
  AgentReads1796640000000,
];
