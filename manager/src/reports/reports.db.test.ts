// The reports on SQLite and PostgreSQL, from rows seeded through the real tables: the
// HIPAA facts count what was stored inside the period and nothing outside it, and an
// alert's incident report holds its triage, comments, approvals with who approved, the
// command and its result, and the breach clock from the alert's creation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentEntity } from '../agents/agent.entity';
import { AlertDetailService } from '../alerts/alert-detail.service';
import { AlertEntity } from '../alerts/alert.entity';
import { AlertService } from '../alerts/alert.service';
import { AlertTriageService } from '../alerts/alert-triage.service';
import { ApprovalEntity } from '../approvals/approval.entity';
import { AuditVerificationService } from '../audit-verification/audit-verification.service';
import { CheckpointFile } from '../audit/audit-checkpoint.store';
import { SyslogSender } from '../audit/audit-syslog';
import { AuditService } from '../audit/audit.service';
import { AccountService } from '../auth/account.service';
import { UserMfaEntity } from '../auth/mfa/mfa.entity';
import { UserEntity } from '../auth/user.entity';
import { CommandEntity } from '../commands/command.entity';
import { LocalActionEntity } from '../commands/local-action.entity';
import { RandomSource } from '../common/clock';
import { parseConfig } from '../config/config.schema';
import { IncidentTracker } from '../incidents/incident-tracker';
import { IncidentRepository } from '../incidents/incident.repository';
import { IncidentService } from '../incidents/incident.service';
import { JsonLogger } from '../logging/json-logger';
import { AgentPolicyEntity } from '../policies/agent-policy.entity';
import { databaseForTests } from '../testing/engine-database.fixture';
import { testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { FakeClock } from '../testing/fakes/fakes';
import { testEngines } from '../testing/test-engines.fixture';
import { AlertExportService } from './alert-export.service';
import { HipaaReportService } from './hipaa-report.service';
import { IncidentReportService } from './incident-report.service';
import { IncidentTimelineRepository } from './incident-timeline.repository';
import { ReportEvidenceRepository } from './report-evidence.repository';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);
const folder = mkdtempSync(join(tmpdir(), 'ww-reports-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe.each(testEngines)('reports on $name', ({ name, make, skip }) => {
  const open = databaseForTests({ make, skip });

  function sut() {
    const { repos, transactions, sessions, eventQuery } = open.services;
    const db = open.db;
    const clock = new FakeClock(T0);
    const config = parseConfig({}, '/x');
    const audit = new AuditService(repos.audit, transactions, clock, testAuditKeyring());
    const alerts = new AlertService(repos.alerts, audit, clock, new RandomSource());
    const accounts = new AccountService(repos.users, sessions);
    const verification = new AuditVerificationService(
      audit,
      alerts,
      transactions,
      clock,
      new CheckpointFile(join(folder, `${name}.ndjson`)),
      new SyslogSender({ kind: 'off' }),
      new JsonLogger('error', { write: () => undefined }),
    );
    const evidence = new ReportEvidenceRepository(db);
    const hipaa = new HipaaReportService(evidence, verification, audit, clock, config);
    const incidents = new IncidentService(
      new IncidentRepository(db),
      eventQuery,
      new IncidentTracker(config.incidents.limits),
      transactions,
      audit,
      clock,
      new RandomSource(),
    );
    const reports = new IncidentReportService(
      new AlertDetailService(repos.alerts, repos.alertComments, repos.scores, eventQuery, accounts),
      incidents,
      new IncidentTimelineRepository(db),
      audit,
      clock,
    );
    const triage = new AlertTriageService(
      repos.alerts,
      repos.alertComments,
      accounts,
      transactions,
      audit,
      clock,
      new RandomSource(),
      open.services.verdictFeedback,
    );
    return {
      db,
      clock,
      audit,
      verification,
      hipaa,
      reports,
      triage,
      exports: new AlertExportService(evidence, audit),
      repos,
    };
  }

  const user = (id: string, role: UserEntity['role'], extra: Partial<UserEntity> = {}): UserEntity => ({
    id,
    username: id,
    passwordHash: 'x',
    role,
    createdAt: T0,
    disabledAt: null,
    mustChangePassword: false,
    ...extra,
  });
  const agent = (id: string, status: AgentEntity['status']): Partial<AgentEntity> => ({
    id,
    hostname: `host-${id}`,
    os: 'linux',
    osVersion: '6',
    version: '1',
    status,
    enrolledAt: T0,
    lastSeenAt: null,
    certFingerprint: `fp-${id}`,
  });
  const compliance = (disk: 'encrypted' | 'not_encrypted', idle: 'applied' | 'failed') => ({
    revision: 1,
    policyVersion: 1,
    tier: 'standard',
    applied: idle === 'applied',
    errors: [],
    diskEncryption: { state: disk, detail: '' },
    settings: [{ name: 'idle_lock' as const, state: idle, detail: idle === 'failed' ? 'no locker' : '' }],
    reportedAtMs: T0,
  });

  it('counts the HIPAA evidence of the period from the stored rows, and names the gaps', async () => {
    const { db, clock, audit, verification, hipaa } = sut();
    await db
      .getRepository(UserEntity)
      .insert([
        user('root', 'admin'),
        user('root2', 'admin'),
        user('priv', 'privacy_officer'),
        user('ana', 'analyst', { mustChangePassword: true }),
        user('gone', 'analyst', { disabledAt: T0 }),
      ]);
    await db.getRepository(UserMfaEntity).insert([
      { userId: 'root', sealedSecret: 's', createdAt: T0, confirmedAt: T0, lastStep: null },
      { userId: 'priv', sealedSecret: 's', createdAt: T0, confirmedAt: null, lastStep: null },
    ]);
    // Before the period: counted in the all-time rows only.
    await audit.append({ actor: 'root', action: 'auth.login', target: 'root' });
    await db
      .getRepository(LocalActionEntity)
      .insert({ agentId: 'w1', id: 'old', kind: 'break_glass', timeMs: T0, receivedAt: T0 });
    clock.advance(DAY);
    const from = clock.now();
    for (const who of ['root', 'priv', 'ana']) await audit.append({ actor: who, action: 'auth.login', target: who });
    await audit.append({ actor: 'x', action: 'auth.login_failed', target: 'x' });
    await db.getRepository(LocalActionEntity).insert([
      { agentId: 'w1', id: 'b1', kind: 'break_glass', timeMs: from + 1, receivedAt: from + 1 },
      { agentId: 'w2', id: 'b2', kind: 'break_glass', timeMs: from + 2, receivedAt: from + 2 },
      { agentId: 'w2', id: 'm1', kind: 'maintenance', timeMs: from + 3, receivedAt: from + 3 },
    ]);
    const running = (name: string) => ({ name, state: 'running' as const, message: '', sinceMs: T0 });
    await db.getRepository(AgentEntity).insert([
      {
        ...agent('w1', 'online'),
        heartbeatAt: T0,
        components: [running('collector.reads'), running('collector.reads.rule')],
      },
      {
        ...agent('w2', 'offline'),
        heartbeatAt: T0,
        components: [{ name: 'collector.reads', state: 'stopped', message: 'auditd not running', sinceMs: T0 }],
      },
      agent('w3', 'revoked'),
    ]);
    await db.getRepository(AgentPolicyEntity).insert([
      {
        agentId: 'w1',
        pinnedTier: null,
        threatLevel: 0,
        threatCause: null,
        threatChangedAt: null,
        canary: false,
        revision: 1,
        policyVersion: 1,
        tier: 'standard',
        sentAt: T0,
        compliance: compliance('encrypted', 'applied'),
        complianceAt: T0,
      },
      {
        agentId: 'w2',
        pinnedTier: null,
        threatLevel: 0,
        threatCause: null,
        threatChangedAt: null,
        canary: false,
        revision: 1,
        policyVersion: 1,
        tier: 'standard',
        sentAt: T0,
        compliance: compliance('not_encrypted', 'failed'),
        complianceAt: T0,
      },
    ] as AgentPolicyEntity[]);
    await verification.run('always');
    clock.advance(DAY);
    const facts = await hipaa.facts({ fromMs: from, toMs: clock.now() });

    expect(facts.accounts).toEqual({ active: 4, disabled: 1, withMfa: 1, oneTimePassword: 1 });
    expect(facts.adminsWithoutMfa).toEqual(['root2']);
    expect(facts.requiredWithoutMfa).toEqual(['priv', 'root2']);
    expect(facts.signIns).toBe(3);
    expect(facts.failedSignIns).toBe(1);
    expect(facts.breakGlassUses).toBe(2);
    expect(facts.maintenanceUses).toBe(1);
    expect(facts.idleLock).toMatchObject({ applied: 1, failed: 1 });
    expect(facts.workstations).toMatchObject({
      enrolled: 2,
      revoked: 1,
      compliant: 1,
      nonCompliant: ['host-w2'],
      diskEncrypted: 1,
      diskNotEncrypted: ['host-w2'],
      readsAudited: 1,
      readsNotAudited: ['host-w2'],
      readsPartly: [],
      readsUnknown: 0,
    });
    expect(facts.audit).toMatchObject({ verification: 'ok', rowsTotal: 5, rowsInPeriod: 4 });
    expect(facts.audit.lastCheckpointSeq).toBe(5);

    const report = await hipaa.report({ fromMs: from, toMs: clock.now() }, 'priv', 'pdf');
    const gaps = report.safeguards.flatMap((s) => s.parts.flatMap((p) => p.gaps));
    expect(gaps).toContain('admins without a second factor: root2');
    expect(gaps).toContain('workstations not compliant with their policy: host-w2');
    expect(gaps).toContain('reads of patient files are not audited on host-w2');
    const [taken] = await audit.list(1);
    expect(taken).toMatchObject({ actor: 'priv', action: 'report.hipaa', details: { format: 'pdf' } });
  });

  it("reports an alert's triage, approvals with who approved, the command's result and the clock", async () => {
    const { db, clock, audit, reports, triage, exports } = sut();
    clock.time = T0 + 10 * DAY;
    const raised = clock.now();
    await db.getRepository(AlertEntity).insert({
      id: 'al-1',
      agentId: 'w1',
      createdAt: raised,
      severity: 4,
      score: 91,
      title: 'USB copy =cmd|calc',
      reasons: ['=HYPERLINK("x")'],
      status: 'open',
      kind: 'behaviour',
      eventIds: [],
      user: 'u_abc',
      revision: 1,
    });
    clock.advance(3_600_000);
    await triage.transition('al-1', 'ana', { action: 'acknowledge', revision: 1 });
    await triage.comment('al-1', 'ana', 'looks real');
    await db.getRepository(CommandEntity).save({
      id: 'cmd-1',
      agentId: 'w1',
      actionKind: 'block_removable',
      action: {},
      reason: 'r',
      warningSeconds: 0,
      automatic: false,
      dryRun: false,
      issuedAt: clock.now() + 5,
      expiresAt: clock.now() + DAY,
      state: 'done',
      decision: { source: 'approval', actorId: 'ana' },
      sentAt: clock.now() + 6,
      keyId: null,
      resultOutcome: 'DONE',
      resultMessage: 'blocked 1 device',
      resultDetails: null,
      finishedAt: clock.now() + 60_000,
    } as CommandEntity);
    await db.getRepository(ApprovalEntity).insert({
      id: 'ap-1',
      summary: 'block removable media on w1',
      commands: [],
      alertId: 'al-1',
      playbookId: 'usb',
      playbookVersion: 1,
      createdAt: clock.now(),
      expiresAt: clock.now() + DAY,
      state: 'approved',
      twoPersonReason: null,
      requestedBy: null,
      approvals: [{ by: 'ana', at: clock.now(), comment: 'ok' }],
      rejection: null,
      revision: 2,
      issueState: 'issued',
      commandIds: ['cmd-1'],
      issueError: null,
    });
    await audit.append({ actor: 'ana', action: 'approval.approve', target: 'ap-1', details: { final: true } });
    clock.time = raised + 20 * DAY;

    const report = await reports.forAlert('al-1', 'priv', 'json');
    expect(report.clock).toMatchObject({
      discoveredAt: raised,
      acknowledgedAt: raised + 3_600_000,
      deadlineAt: raised + 60 * DAY,
      daysRemaining: 40,
      state: 'running',
    });
    expect(report.approvals).toEqual([expect.objectContaining({ id: 'ap-1', approvedBy: ['ana'], state: 'approved' })]);
    expect(report.actions).toEqual([
      expect.objectContaining({ id: 'cmd-1', state: 'done', message: 'blocked 1 device' }),
    ]);
    const lines = report.timeline.map((e) => `${e.kind}|${e.actor}|${e.text}`);
    expect(lines).toContain('comment|ana|looks real');
    expect(lines.some((l) => l.startsWith('triage|ana|alert.acknowledge'))).toBe(true);
    expect(lines.some((l) => l.startsWith('approval|ana|approval.approve'))).toBe(true);
    expect(lines).toContain('command|agent:w1|block_removable done: blocked 1 device');
    expect(report.timeline.map((e) => e.timeMs)).toEqual(
      [...report.timeline.map((e) => e.timeMs)].sort((a, b) => a - b),
    );

    const exported = await exports.alerts({ fromMs: raised, toMs: raised }, 'ana', 'csv');
    expect(exported.map((a) => a.id)).toEqual(['al-1']);
    expect(await exports.alerts({ fromMs: raised + 1, toMs: raised + DAY }, 'ana', 'csv')).toEqual([]);
    const actions = (await audit.list(10)).map((r) => r.action);
    expect(actions.filter((a) => a === 'report.alerts_export')).toHaveLength(2);
    expect(actions).toContain('report.incident');
  });

  it("reports a fleet incident with the clock from the incident's creation", async () => {
    const { db, clock, reports } = sut();
    const created = T0 + 100 * DAY;
    await open.services.transactions.run((tx) =>
      new IncidentRepository(db).save(
        {
          id: '6c0f3c1e-8a51-4c55-9f0e-3f0a0e0b0c01',
          kind: 'source_failed_logons',
          subject: 'ip_x',
          status: 'open',
          firstSeenMs: created - 60_000,
          lastSeenMs: created,
          events: 40,
          failures: 40,
          accounts: ['u_1'],
          accountCount: 1,
          workstations: ['w1'],
          workstationCount: 1,
          reason: '40 failed logons',
          evidence: [],
          evidenceCount: 40,
          createdMs: created,
          updatedMs: created,
        },
        tx,
      ),
    );
    clock.time = created + 61 * DAY;
    const report = await reports.forIncident('6c0f3c1e-8a51-4c55-9f0e-3f0a0e0b0c01', 'priv', 'html');
    expect(report.clock).toMatchObject({ discoveredBy: 'incident_created', state: 'overdue', daysRemaining: -1 });
    expect(report.evidenceCount).toBe(40);
  });
});
