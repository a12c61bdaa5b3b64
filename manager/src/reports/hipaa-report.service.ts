// Computes the HIPAA §164.312 evidence report for a period: gathers the facts (counts
// from the database, the audit trail's verification status, the settings in force)
// and hands them to the pure safeguard rules. The JSON, HTML and PDF forms all render
// this one result. Each report taken is audited with its period and form.
import { Inject, Injectable } from '@nestjs/common';
import type { AuditStatus, HipaaReport, PolicyComplianceReport, ReportFormat } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { complianceStatus } from '../policies/compliance-status';
import { gapCount, hipaaSafeguards, type HipaaFacts, type SettingTally } from './hipaa-safeguards';
import { ReportEvidenceRepository, type Period } from './report-evidence.repository';

/** Where the audit trail's last verification is read (AuditVerificationService). */
export abstract class AuditStatusReader {
  abstract current(): AuditStatus;
}

export type HipaaConfig = Pick<ManagerConfig, 'sessions' | 'mfa' | 'http' | 'audit' | 'oidc'>;

const DAY_MS = 86_400_000;
const DEFAULT_PERIOD_MS = 30 * DAY_MS;

const SIGN_IN = ['auth.login', 'auth.sso_sign_in'];
const SIGN_IN_FAILED = ['auth.login_failed', 'auth.mfa_failed', 'auth.sso_sign_in_failed'];
const AUDIT_ACTIONS = [
  ...SIGN_IN,
  ...SIGN_IN_FAILED,
  'auth.login_refused',
  'auth.mfa_recovery_code_used',
  'access.denied',
  'audit.export',
  'reidentification.match',
  'reidentification.lookup',
  'seal.unwrap',
  'agent.certificate_renewed',
] as const;

@Injectable()
export class HipaaReportService {
  constructor(
    private readonly evidence: ReportEvidenceRepository,
    private readonly auditStatus: AuditStatusReader,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) private readonly config: HipaaConfig,
  ) {}

  /** The period asked for, or the 30 days ending now. */
  period(query: { fromMs?: number; toMs?: number }): Period {
    const toMs = query.toMs ?? this.clock.now();
    return { fromMs: query.fromMs ?? Math.max(0, toMs - DEFAULT_PERIOD_MS), toMs };
  }

  /** The report, audited as taken by `actor` in `format`. */
  async report(period: Period, actor: string, format: ReportFormat): Promise<HipaaReport> {
    const safeguards = hipaaSafeguards(await this.facts(period));
    const report: HipaaReport = {
      generatedAt: this.clock.now(),
      fromMs: period.fromMs,
      toMs: period.toMs,
      safeguards,
      gapCount: gapCount(safeguards),
    };
    await this.audit.append({
      actor,
      action: 'report.hipaa',
      target: 'hipaa-164.312',
      details: { format, fromMs: period.fromMs, toMs: period.toMs, gaps: report.gapCount },
    });
    return report;
  }

  async facts(period: Period): Promise<HipaaFacts> {
    const now = this.clock.now();
    const [accounts, counts, local, activeNow, agentStatus, workstations, withKek, commands, alerts, forwards] =
      await Promise.all([
        this.evidence.accounts(),
        this.evidence.auditActionCounts(AUDIT_ACTIONS, period),
        this.evidence.localActionCounts(period),
        this.evidence.activeSessions(now, this.config.sessions.idleTimeoutMs),
        this.evidence.agentStatusCounts(),
        this.evidence.workstationCompliance(),
        this.evidence.workstationsWithKek(),
        this.evidence.commandStateCounts(period),
        this.evidence.alertKindCounts(period),
        this.evidence.enabledForwardDestinations(),
      ]);
    const [rowsTotal, rowsInPeriod] = await Promise.all([this.evidence.auditRows(), this.evidence.auditRows(period)]);
    const active = accounts.filter((a) => !a.disabled);
    const required = new Set<string>(this.config.mfa.requiredRoles);
    const status = this.auditStatus.current();
    const sum = (keys: readonly string[]) => keys.reduce((n, key) => n + (counts[key] ?? 0), 0);

    const compliance = { compliant: 0, pending: 0, noReport: 0, nonCompliant: [] as string[] };
    const disk = { encrypted: 0, notEncrypted: [] as string[], unknown: 0 };
    const reads = { audited: 0, partly: [] as string[], notAudited: [] as string[], unknown: 0 };
    for (const w of workstations) {
      const verdict = complianceStatus(w.assignedRevision, w.report);
      if (verdict.status === 'compliant') compliance.compliant += 1;
      else if (verdict.status === 'pending') compliance.pending += 1;
      else if (verdict.status === 'unknown') compliance.noReport += 1;
      else compliance.nonCompliant.push(w.hostname);
      const state = w.report?.diskEncryption.state ?? 'unknown';
      if (state === 'encrypted') disk.encrypted += 1;
      else if (state === 'not_encrypted') disk.notEncrypted.push(w.hostname);
      else disk.unknown += 1;
      if (w.reads.state === 'audited') reads.audited += 1;
      else if (w.reads.state === 'partial') reads.partly.push(w.hostname);
      else if (w.reads.state === 'not_audited') reads.notAudited.push(w.hostname);
      else reads.unknown += 1;
    }
    const reports = workstations.map((w) => w.report);

    return {
      accounts: {
        active: active.length,
        disabled: accounts.length - active.length,
        withMfa: active.filter((a) => a.hasMfa).length,
        oneTimePassword: active.filter((a) => a.mustChangePassword).length,
      },
      requiredWithoutMfa: active.filter((a) => required.has(a.role) && !a.hasMfa).map((a) => a.username),
      adminsWithoutMfa: active.filter((a) => a.role === 'admin' && !a.hasMfa).map((a) => a.username),
      mfaRequiredRoles: [...required],
      ssoEnabled: this.config.oidc !== undefined,
      signIns: sum(SIGN_IN),
      failedSignIns: sum(SIGN_IN_FAILED),
      refusedSignIns: counts['auth.login_refused'] ?? 0,
      recoveryCodesUsed: counts['auth.mfa_recovery_code_used'] ?? 0,
      breakGlassUses: local['break_glass'] ?? 0,
      maintenanceUses: local['maintenance'] ?? 0,
      sessions: {
        idleTimeoutMinutes: Math.round(this.config.sessions.idleTimeoutMs / 60_000),
        maxLifetimeHours: Math.round(this.config.sessions.maxLifetimeMs / 3_600_000),
        activeNow,
      },
      idleLock: tally(reports, 'idle_lock'),
      workstations: {
        enrolled: workstations.length,
        revoked: agentStatus['revoked'] ?? 0,
        compliant: compliance.compliant,
        nonCompliant: compliance.nonCompliant,
        pending: compliance.pending,
        noReport: compliance.noReport,
        diskEncrypted: disk.encrypted,
        diskNotEncrypted: disk.notEncrypted,
        diskUnknown: disk.unknown,
        withKek,
        readsAudited: reads.audited,
        readsPartly: reads.partly,
        readsNotAudited: reads.notAudited,
        readsUnknown: reads.unknown,
      },
      managerLink: tally(reports, 'manager_link'),
      audit: {
        rowsTotal,
        rowsInPeriod,
        verification: status.result,
        lastVerifiedAt: status.lastVerifiedAt,
        firstBadSeq: status.firstBadSeq,
        lastCheckpointAt: status.lastCheckpoint?.timeMs ?? null,
        lastCheckpointSeq: status.lastCheckpoint?.lastSeq ?? null,
        checkpointSyslog: status.lastCheckpoint?.syslog ?? null,
        verifyIntervalMinutes: Math.round(this.config.audit.verifyIntervalMs / 60_000),
        chainAlerts: alerts['audit_chain'] ?? 0,
        blindAlerts: alerts['agent_blind'] ?? 0,
        accessDenied: counts['access.denied'] ?? 0,
        exports: counts['audit.export'] ?? 0,
        reidentifications: sum(['reidentification.match', 'reidentification.lookup']),
      },
      commands: {
        issued: Object.values(commands).reduce((n, v) => n + v, 0),
        failed: (commands['failed'] ?? 0) + (commands['refused'] ?? 0),
      },
      behaviourAlerts: alerts['behaviour'] ?? 0,
      unwraps: counts['seal.unwrap'] ?? 0,
      certificatesRenewed: counts['agent.certificate_renewed'] ?? 0,
      forwardDestinations: forwards,
      dashboardTls: this.config.http.tls.kind,
    };
  }
}

/** How one policy setting stands across the workstations' last reports. */
function tally(reports: readonly (PolicyComplianceReport | null)[], name: string): SettingTally {
  const result: SettingTally = { applied: 0, notEnforced: 0, failed: 0, notReported: 0 };
  for (const report of reports) {
    const setting = report?.settings.find((s) => s.name === name);
    if (!setting || setting.state === 'not_applicable') result.notReported += 1;
    else if (setting.state === 'applied') result.applied += 1;
    else if (setting.state === 'failed') result.failed += 1;
    else result.notEnforced += 1;
  }
  return result;
}
