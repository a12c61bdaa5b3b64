// The five technical safeguards of 45 CFR §164.312, each with what WardWatch does
// (fixed text, true of this build), the evidence counted from the installation's data
// and settings, and the gaps that evidence shows. Pure: the service gathers the facts,
// this decides what they mean, so the rules for a gap are tested without a database.
import type { Safeguard, SafeguardPart } from '@wardwatch/shared';

export interface SettingTally {
  applied: number;
  notEnforced: number;
  failed: number;
  notReported: number;
}

/** Everything the report is built from; counts are for the period unless named otherwise. */
export interface HipaaFacts {
  accounts: { active: number; disabled: number; withMfa: number; oneTimePassword: number };
  /** Active accounts of a role that must sign in with a second factor but have none. */
  requiredWithoutMfa: string[];
  /** Active admins without a second factor (listed even when admins are not in the required roles). */
  adminsWithoutMfa: string[];
  mfaRequiredRoles: string[];
  ssoEnabled: boolean;
  signIns: number;
  failedSignIns: number;
  refusedSignIns: number;
  recoveryCodesUsed: number;
  breakGlassUses: number;
  maintenanceUses: number;
  sessions: { idleTimeoutMinutes: number; maxLifetimeHours: number; activeNow: number };
  idleLock: SettingTally;
  workstations: {
    enrolled: number;
    revoked: number;
    compliant: number;
    nonCompliant: string[];
    pending: number;
    noReport: number;
    diskEncrypted: number;
    diskNotEncrypted: string[];
    diskUnknown: number;
    withKek: number;
    /** Patient-file reads: audited, audited in some patient-data folders only, not audited, not known. */
    readsAudited: number;
    readsPartly: string[];
    readsNotAudited: string[];
    readsUnknown: number;
  };
  managerLink: SettingTally;
  audit: {
    rowsTotal: number;
    rowsInPeriod: number;
    verification: 'ok' | 'failed' | 'not_verified';
    lastVerifiedAt: number | null;
    firstBadSeq: number | null;
    lastCheckpointAt: number | null;
    lastCheckpointSeq: number | null;
    checkpointSyslog: 'sent' | 'unreachable' | 'off' | null;
    verifyIntervalMinutes: number;
    chainAlerts: number;
    /** Workstations whose audit of patient data failed (auditd stopped, read rules removed). */
    blindAlerts: number;
    accessDenied: number;
    exports: number;
    reidentifications: number;
  };
  commands: { issued: number; failed: number };
  behaviourAlerts: number;
  unwraps: number;
  certificatesRenewed: number;
  forwardDestinations: number;
  dashboardTls: 'off' | 'own-ca' | 'files';
}

/** Up to this many names are listed in a gap; the rest are counted. */
const NAMES_IN_A_GAP = 10;

export function hipaaSafeguards(f: HipaaFacts): Safeguard[] {
  return [accessControl(f), auditControls(f), integrity(f), authentication(f), transmission(f)];
}

export function gapCount(safeguards: readonly Safeguard[]): number {
  return safeguards.reduce((sum, s) => sum + s.parts.reduce((n, p) => n + p.gaps.length, 0), 0);
}

function accessControl(f: HipaaFacts): Safeguard {
  const uniqueId: SafeguardPart = {
    title: 'Unique user identification (required)',
    does: [
      'Every dashboard user has an account of their own with one role; the audit trail names the account behind every change.',
      'Workstation users appear under keyed pseudonyms; a privacy officer alone may tie one to a person, with a reason, audited.',
    ],
    evidence: [
      { label: 'Active accounts', value: f.accounts.active },
      { label: 'Disabled accounts', value: f.accounts.disabled },
      { label: 'Sign-ins in the period', value: f.signIns },
      { label: 'Re-identification requests in the period', value: f.audit.reidentifications },
    ],
    gaps:
      f.accounts.oneTimePassword > 0
        ? [`${f.accounts.oneTimePassword} active account(s) still hold the one-time password an admin was shown`]
        : [],
  };
  const emergency: SafeguardPart = {
    title: 'Emergency access procedure (required)',
    does: [
      'A clinician may declare break-glass at the workstation (tray): automatic lock, revoke and disable wait while it lasts; it is time-limited and audited.',
    ],
    evidence: [
      { label: 'Break-glass declarations in the period', value: f.breakGlassUses },
      { label: 'Maintenance periods in the period', value: f.maintenanceUses },
    ],
    gaps: [],
  };
  const logoff: SafeguardPart = {
    title: 'Automatic logoff (addressable)',
    does: [
      'Dashboard sessions end after an idle timeout and an absolute lifetime; live streams close with them.',
      'The protection policy sets a screen lock after idle time on workstations and each agent reports whether it is in force.',
    ],
    evidence: [
      { label: 'Dashboard idle timeout (minutes)', value: f.sessions.idleTimeoutMinutes },
      { label: 'Dashboard session lifetime (hours)', value: f.sessions.maxLifetimeHours },
      { label: 'Dashboard sessions active now', value: f.sessions.activeNow },
      { label: 'Workstations with idle lock applied', value: f.idleLock.applied },
      {
        label: 'Workstations where idle lock is not enforced or failed',
        value: f.idleLock.notEnforced + f.idleLock.failed,
      },
    ],
    gaps: [
      ...(f.idleLock.failed + f.idleLock.notEnforced > 0
        ? [`idle lock not in force on ${f.idleLock.failed + f.idleLock.notEnforced} workstation(s)`]
        : []),
      // Said plainly: an idle ending deletes the session; no row records that it happened.
      'dashboard sessions ended by the idle timeout are not recorded one by one (only the setting is evidence)',
    ],
  };
  const w = f.workstations;
  const encryption: SafeguardPart = {
    title: 'Encryption and decryption (addressable)',
    does: [
      'Agents seal files at rest with AES-256-GCM under a per-workstation key-encryption key only the manager can unwrap; every unwrap is audited.',
      'The protection policy may require full-disk encryption; each agent reports the disk state.',
    ],
    evidence: [
      { label: 'Enrolled workstations', value: w.enrolled },
      { label: 'Workstations with a key-encryption key', value: w.withKek },
      { label: 'Disks reported encrypted', value: w.diskEncrypted },
      { label: 'Disks reported not encrypted', value: w.diskNotEncrypted.length },
      { label: 'Disk state unknown', value: w.diskUnknown },
      { label: 'Key unwraps in the period', value: f.unwraps },
    ],
    gaps: w.diskNotEncrypted.length > 0 ? [`disk not encrypted on ${names(w.diskNotEncrypted)}`] : [],
  };
  return {
    id: 'access_control',
    section: '§164.312(a)(1)',
    title: 'Access control',
    parts: [uniqueId, emergency, logoff, encryption],
  };
}

function auditControls(f: HipaaFacts): Safeguard {
  const a = f.audit;
  const w = f.workstations;
  const gaps: string[] = [];
  if (w.readsNotAudited.length > 0) gaps.push(`reads of patient files are not audited on ${names(w.readsNotAudited)}`);
  if (w.readsPartly.length > 0)
    gaps.push(`reads of patient files are audited in only some patient-data folders on ${names(w.readsPartly)}`);
  if (a.verification === 'failed')
    gaps.push(`the audit chain failed verification${a.firstBadSeq === null ? '' : ` at row ${a.firstBadSeq}`}`);
  if (a.verification === 'not_verified') gaps.push('the audit chain has not been verified since the manager started');
  if (a.lastCheckpointAt === null) gaps.push('no signed checkpoint of the audit trail exists yet');
  if (a.checkpointSyslog === 'unreachable') gaps.push('the last checkpoint did not reach syslog');
  if (a.verifyIntervalMinutes === 0) gaps.push('scheduled verification of the audit trail is switched off');
  if (a.chainAlerts > 0) gaps.push(`${a.chainAlerts} audit-chain alert(s) were raised in the period`);
  if (a.blindAlerts > 0)
    gaps.push(
      `a workstation's audit of patient data failed ${a.blindAlerts} time(s) in the period (agent_blind alerts)`,
    );
  return {
    id: 'audit_controls',
    section: '§164.312(b)',
    title: 'Audit controls',
    parts: [
      {
        title: 'Audit controls (required)',
        does: [
          'Sign-ins, account changes, enrollment, responses, approvals, re-identification and refused accesses are appended to an HMAC-SHA-256 chained audit log in the same transaction as the change.',
          'A scheduled verification checks the chain against Ed25519-signed checkpoints kept outside the database and sent to syslog.',
          'On workstations where the kernel audits them, patient files opened to be read are recorded per person and file, and each agent reports whether it audits reads and why not.',
        ],
        evidence: [
          { label: 'Audit rows (all time)', value: a.rowsTotal },
          { label: 'Audit rows in the period', value: a.rowsInPeriod },
          { label: 'Last verification', value: a.verification },
          { label: 'Last verified at', value: iso(a.lastVerifiedAt) },
          { label: 'Last checkpoint at', value: iso(a.lastCheckpointAt) },
          { label: 'Last checkpoint covers rows', value: a.lastCheckpointSeq ?? 'none' },
          { label: 'Verification interval (minutes)', value: a.verifyIntervalMinutes },
          { label: 'Refused accesses in the period', value: a.accessDenied },
          { label: 'Audit exports in the period', value: a.exports },
          { label: 'Workstation audit failures in the period', value: a.blindAlerts },
          { label: 'Workstations auditing patient-file reads', value: w.readsAudited },
          { label: 'Workstations auditing reads in some patient-data folders only', value: w.readsPartly.length },
          { label: 'Workstations not auditing patient-file reads', value: w.readsNotAudited.length },
          { label: 'Workstations not saying whether they audit reads', value: w.readsUnknown },
        ],
        gaps,
      },
    ],
  };
}

function integrity(f: HipaaFacts): Safeguard {
  return {
    id: 'integrity',
    section: '§164.312(c)(1)',
    title: 'Integrity',
    parts: [
      {
        title: 'Mechanism to authenticate electronic PHI (addressable)',
        does: [
          'Ransomware is recognised from file lineage and stopped at the kernel where fanotify is available; earlier file versions are kept encrypted and can be restored.',
          'Commands and policies sent to workstations are Ed25519-signed and verified by the agent; an edited audit row is detected by the chain.',
        ],
        evidence: [
          { label: 'Behaviour alerts in the period', value: f.behaviourAlerts },
          { label: 'Signed commands issued in the period', value: f.commands.issued },
          { label: 'Commands that failed', value: f.commands.failed },
          { label: 'Audit chain', value: f.audit.verification },
        ],
        gaps:
          f.audit.verification === 'failed' ? ['the audit chain failed verification: its integrity is not shown'] : [],
      },
    ],
  };
}

function authentication(f: HipaaFacts): Safeguard {
  const gaps: string[] = [];
  if (f.adminsWithoutMfa.length > 0) gaps.push(`admins without a second factor: ${names(f.adminsWithoutMfa)}`);
  const others = f.requiredWithoutMfa.filter((name) => !f.adminsWithoutMfa.includes(name));
  if (others.length > 0) gaps.push(`accounts whose role requires a second factor but have none: ${names(others)}`);
  if (!f.mfaRequiredRoles.includes('admin')) gaps.push('a second factor is not required of admins');
  return {
    id: 'authentication',
    section: '§164.312(d)',
    title: 'Person or entity authentication',
    parts: [
      {
        title: 'People',
        does: [
          'Passwords are scrypt hashes; sign-in is throttled per account and per client address; TOTP second factors are required of the configured roles; single sign-on through OpenID Connect when configured.',
        ],
        evidence: [
          { label: 'Active accounts with a second factor', value: `${f.accounts.withMfa} of ${f.accounts.active}` },
          { label: 'Roles that must use a second factor', value: f.mfaRequiredRoles.join(', ') || 'none' },
          { label: 'Single sign-on', value: f.ssoEnabled ? 'on' : 'off' },
          { label: 'Sign-ins in the period', value: f.signIns },
          { label: 'Failed sign-ins in the period', value: f.failedSignIns },
          { label: 'Refused (throttled) sign-ins in the period', value: f.refusedSignIns },
          { label: 'Recovery codes used in the period', value: f.recoveryCodesUsed },
        ],
        gaps,
      },
      {
        title: 'Workstations (entities)',
        does: [
          'An agent enrolls with a single-use token and a key that never leaves the workstation; every later call is mutual TLS with a certificate the manager’s CA signed, checked against the register.',
        ],
        evidence: [
          { label: 'Enrolled workstations', value: f.workstations.enrolled },
          { label: 'Revoked workstations', value: f.workstations.revoked },
          { label: 'Certificates renewed in the period', value: f.certificatesRenewed },
        ],
        gaps: [],
      },
    ],
  };
}

function transmission(f: HipaaFacts): Safeguard {
  const w = f.workstations;
  const gaps: string[] = [];
  if (f.dashboardTls === 'off')
    gaps.push('the dashboard is served in plain HTTP (loopback only): reach it through a TLS proxy or turn TLS on');
  if (f.managerLink.failed + f.managerLink.notEnforced > 0)
    gaps.push(
      `the manager link setting is not in force on ${f.managerLink.failed + f.managerLink.notEnforced} workstation(s)`,
    );
  if (w.nonCompliant.length > 0) gaps.push(`workstations not compliant with their policy: ${names(w.nonCompliant)}`);
  return {
    id: 'transmission',
    section: '§164.312(e)(1)',
    title: 'Transmission security',
    parts: [
      {
        title: 'Integrity controls and encryption (addressable)',
        does: [
          'Agents talk to the manager only over mutual TLS (gRPC); events leave the workstation pseudonymised.',
          'The dashboard is served over HTTPS with HSTS beyond loopback; forwarding to a SIEM uses syslog over TLS or HMAC-signed webhooks.',
        ],
        evidence: [
          { label: 'Agent link', value: 'mutual TLS' },
          { label: 'Dashboard TLS', value: tlsText(f.dashboardTls) },
          { label: 'Forwarding destinations on', value: f.forwardDestinations },
          { label: 'Workstations compliant with their policy', value: w.compliant },
          { label: 'Workstations not compliant', value: w.nonCompliant.length },
          { label: 'Workstations pending a policy revision', value: w.pending },
          { label: 'Workstations without a compliance report', value: w.noReport },
        ],
        gaps,
      },
    ],
  };
}

function tlsText(kind: HipaaFacts['dashboardTls']): string {
  if (kind === 'own-ca') return "on (the manager's CA)";
  if (kind === 'files') return 'on (provided certificate)';
  return 'off (loopback only)';
}

function names(list: readonly string[]): string {
  const shown = list.slice(0, NAMES_IN_A_GAP).join(', ');
  return list.length > NAMES_IN_A_GAP ? `${shown} and ${list.length - NAMES_IN_A_GAP} more` : shown;
}

function iso(ms: number | null): string {
  return ms === null ? 'never' : new Date(ms).toISOString();
}
