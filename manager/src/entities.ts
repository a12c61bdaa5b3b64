// Every TypeORM entity of the manager, for the DataSource. Each lives in its feature's
// folder; this root list is the one place that names them all (a root file, so the
// database edge does not import the features it serves).
import { AgentEntity } from './agents/agent.entity';
import { AlertCommentEntity } from './alerts/alert-comment.entity';
import { AlertEntity } from './alerts/alert.entity';
import { RiskScoreEntity } from './alerts/risk-score.entity';
import { ApprovalEntity } from './approvals/approval.entity';
import { DutyRequestEntity } from './duty-requests/duty-request.entity';
import { AuditLogEntity } from './audit/audit-log.entity';
import { AccountBackoffEntity } from './auth/throttle/account-backoff.entity';
import { MfaRecoveryCodeEntity, UserMfaEntity } from './auth/mfa/mfa.entity';
import { SecurityKeyEntity, WebAuthnChallengeEntity } from './auth/mfa/webauthn/security-key.entity';
import { OidcIdentityEntity } from './auth/oidc/oidc-identity.entity';
import { OidcTransactionEntity } from './auth/oidc/oidc-transaction.entity';
import { SessionEntity } from './auth/session.entity';
import { UserEntity } from './auth/user.entity';
import { AgentResponseStateEntity } from './commands/agent-response-state.entity';
import { CommandKeyEntity } from './commands/command-key.entity';
import { CommandEntity } from './commands/command.entity';
import { LocalActionEntity } from './commands/local-action.entity';
import { EnrollmentTokenEntity } from './enrollment/enrollment-token.entity';
import { EventEntity } from './events/event.entity';
import { IncidentEntity } from './incidents/incident.entity';
import { ForwardCursorEntity } from './forwarding/forward-cursor.entity';
import { ForwardDestinationEntity } from './forwarding/forward-destination.entity';
import { ForwardOutboxEntity } from './forwarding/forward-outbox.entity';
import { AgentPolicyEntity } from './policies/agent-policy.entity';
import { PolicyVersionEntity } from './policies/policy-version.entity';
import { AutoActionSlotEntity } from './playbooks/auto-action-slot.entity';
import { PolicyRolloutEntity } from './policies/rollout/policy-rollout.entity';
import { UnitTierEntity } from './policies/threat-tiers/unit-tier.entity';
import { PlaybookDecisionEntity } from './playbooks/playbook-decision.entity';
import { PlaybookVersionEntity } from './playbooks/playbook-version.entity';
import { SiteSettingEntity } from './pseudonym-mode/site-setting.entity';
import { StaffRoleEntity } from './staff-roles/staff-role.entity';
import { WorkstationKekEntity } from './keys/workstation-kek.entity';

export const managerEntities = [
  AccountBackoffEntity,
  AgentEntity,
  AgentPolicyEntity,
  AgentResponseStateEntity,
  AlertCommentEntity,
  AlertEntity,
  ApprovalEntity,
  DutyRequestEntity,
  AuditLogEntity,
  CommandEntity,
  CommandKeyEntity,
  EnrollmentTokenEntity,
  EventEntity,
  IncidentEntity,
  ForwardCursorEntity,
  ForwardDestinationEntity,
  ForwardOutboxEntity,
  PlaybookDecisionEntity,
  AutoActionSlotEntity,
  PlaybookVersionEntity,
  PolicyVersionEntity,
  PolicyRolloutEntity,
  UnitTierEntity,

  LocalActionEntity,
  MfaRecoveryCodeEntity,
  SecurityKeyEntity,
  WebAuthnChallengeEntity,
  RiskScoreEntity,
  SessionEntity,
  OidcIdentityEntity,
  OidcTransactionEntity,
  SiteSettingEntity,
  StaffRoleEntity,
  UserEntity,
  UserMfaEntity,
  WorkstationKekEntity,
];
