// Alert triage on SQLite and PostgreSQL: the workflow open → acknowledged → closed,
// each step audited in the hash chain; stale revisions and forbidden steps are 409s
// that write nothing; comments are bounded text; a false-positive verdict is found by
// a query on the alert table; the detail gathers evidence, related alerts, techniques
// and the score history.
import type { Score } from '@wardwatch/proto';
import { AlertTransitionRequest, MAX_ALERT_COMMENT_LENGTH } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { databaseForTests } from '../testing/engine-database.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import type { EventRecord } from '../events/event-record';
import { AlertEntity } from './alert.entity';
import { hourlyScore } from '../testing/hourly-score.fixture';
import { FakeClock } from '../testing/fakes/fakes';
import { servicesOn } from '../testing/services.fixture';

const HOUR = 3_600_000;
// Hours ago, so that every window (the latest at T0 + 5 h) lies in the past and related alerts fall within a week.
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 8 * HOUR;
const USER = 'u_00112233aabbccdd';
const OTHER_USER = 'u_99887766aabbccdd';
const SOURCE_IP = 'ip_0a0b0c0d0e0f1011';

const score = (id: string, value: number, windowStart: number, user = USER): Score =>
  hourlyScore(id, value, windowStart, { user });

const failedLogon = (agentId: string, id: string, timeMs: number, user: string): EventRecord => ({
  agentId,
  eventId: id,
  sequence: null,
  hostname: 'ward3-ws12',
  timeMs,
  receivedMs: timeMs,
  severity: 3,
  user,
  category: 'login',
  action: 'failed_logon',
  detail: { action: 'failed_logon', sourceIp: SOURCE_IP, sourceHost: '', targetUser: user, raw: '' },
});

const transition = (body: unknown) => AlertTransitionRequest.parse(body);

describe.each(testEngines)('alert triage on $name', (engine) => {
  const open = databaseForTests(engine);

  /** Scores for agent-a's user over three hours (the last one alerts), and events behind them. */
  async function seed(): Promise<AlertEntity> {
    const { scoreIngest, repos, transactions } = open.services;
    await scoreIngest.ingest('agent-a', {
      sequence: 1,
      scores: [score('s1', 20, T0 - 2 * HOUR), score('s2', 35, T0 - HOUR), score('s3', 88, T0)],
    });
    await transactions.run((tx) =>
      repos.events.insertNew(
        [
          failedLogon('agent-a', 'e1', T0 + 60_000, USER),
          failedLogon('agent-a', 'e2', T0 + 120_000, USER),
          failedLogon('agent-b', 'e3', T0 + 180_000, OTHER_USER),
          failedLogon('agent-a', 'e-before', T0 - 60_000, USER),
        ],
        tx,
      ),
    );
    const rows = await open.db.getRepository(AlertEntity).find({ where: { agentId: 'agent-a', windowStart: T0 } });
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  const audited = async (target: string) =>
    (await open.db.getRepository(AuditLogEntity).find({ where: { target }, order: { seq: 'ASC' } })).map((r) => [
      r.actor,
      r.action,
      r.details,
    ]);

  it.skipIf(engine.skip)(
    'acknowledges, comments and closes as a false positive, each audited; stale and repeated steps are 409s',
    async () => {
      const { alertTriage, alerts, users, audit } = open.services;
      await users.create({ username: 'ana.lyst', role: 'analyst' }, 'admin');
      await users.create({ username: 'pat.privacy', role: 'privacy_officer' }, 'admin');
      await users.create({ username: 'sam.lead', role: 'admin' }, 'admin');
      const alert = await seed();
      expect(alert).toMatchObject({ status: 'open', revision: 1, assignee: null, verdict: null });

      const acked = await alertTriage.transition(
        alert.id,
        'ana.lyst',
        transition({ action: 'acknowledge', revision: 1 }),
      );
      expect(acked).toMatchObject({
        status: 'acknowledged',
        revision: 2,
        acknowledgedBy: 'ana.lyst',
        assignee: 'ana.lyst',
      });

      // A second analyst who still sees revision 1 is told, and nothing changes.
      await expect(
        alertTriage.transition(alert.id, 'bob', transition({ action: 'close', revision: 1, verdict: 'benign' })),
      ).rejects.toMatchObject({
        code: 'stale_revision',
        status: 'conflict',
        message: expect.stringMatching(/now acknowledged/) as string,
      });
      await expect(
        alertTriage.transition(alert.id, 'bob', transition({ action: 'acknowledge', revision: 2 })),
      ).rejects.toMatchObject({
        code: 'invalid_transition',
        status: 'conflict',
        message: expect.stringMatching(/by ana\.lyst/) as string,
      });
      // Only an active user who may triage can be assigned.
      await expect(
        alertTriage.transition(
          alert.id,
          'ana.lyst',
          transition({ action: 'assign', revision: 2, assignee: 'pat.privacy' }),
        ),
      ).rejects.toMatchObject({ code: 'unknown_assignee', status: 'bad_request' });
      await expect(
        alertTriage.transition(alert.id, 'ana.lyst', transition({ action: 'assign', revision: 2, assignee: 'nobody' })),
      ).rejects.toMatchObject({ code: 'unknown_assignee' });
      const assigned = await alertTriage.transition(
        alert.id,
        'ana.lyst',
        transition({ action: 'assign', revision: 2, assignee: 'sam.lead' }),
      );
      expect(assigned).toMatchObject({ assignee: 'sam.lead', revision: 3, status: 'acknowledged' });

      const hostile = '<script>alert(1)</script> the nurse mistyped her password';
      const note = await alertTriage.comment(alert.id, 'ana.lyst', hostile);
      expect(note).toMatchObject({ author: 'ana.lyst', body: hostile });
      const closed = await alertTriage.transition(
        alert.id,
        'ana.lyst',
        transition({
          action: 'close',
          revision: 3,
          verdict: 'false_positive',
          comment: 'keyboard layout after update',
        }),
      );
      expect(closed).toMatchObject({ status: 'closed', verdict: 'false_positive', closedBy: 'ana.lyst', revision: 4 });
      await expect(
        alertTriage.transition(alert.id, 'ana.lyst', transition({ action: 'close', revision: 4, verdict: 'benign' })),
      ).rejects.toMatchObject({
        code: 'invalid_transition',
        message: expect.stringMatching(/closed by ana\.lyst as false_positive/) as string,
      });
      await expect(
        alertTriage.transition('no-such-alert', 'ana.lyst', transition({ action: 'acknowledge', revision: 1 })),
      ).rejects.toMatchObject({ code: 'not_found', status: 'not_found' });

      expect(await audited(alert.id)).toEqual([
        ['agent:agent-a', 'alert.raise', expect.objectContaining({ user: USER })],
        ['ana.lyst', 'alert.acknowledge', { from: 'open', status: 'acknowledged', revision: 2 }],
        ['ana.lyst', 'alert.assign', { from: 'ana.lyst', to: 'sam.lead', status: 'acknowledged', revision: 3 }],
        ['ana.lyst', 'alert.comment', { commentId: note.id, comment: hostile }],
        [
          'ana.lyst',
          'alert.close',
          expect.objectContaining({
            from: 'acknowledged',
            verdict: 'false_positive',
            comment: 'keyboard layout after update',
            agentId: 'agent-a',
            user: USER,
            windowStart: T0,
            rules: ['brute-force'],
            status: 'closed',
            revision: 4,
          }),
        ],
      ]);
      expect(await audit.verify()).toMatchObject({ ok: true });

      // What retraining asks: the false positives, by verdict (idx_alert_verdict_closed).
      const falsePositives = await open.db
        .getRepository(AlertEntity)
        .find({ where: { verdict: 'false_positive' }, select: { id: true, user: true, windowStart: true } });
      expect(falsePositives).toEqual([{ id: alert.id, user: USER, windowStart: T0 }]);
      // The list filters by status.
      expect((await alerts.page(50, undefined, 'closed')).items.map((a) => a.id)).toEqual([alert.id]);
      expect((await alerts.page(50, undefined, 'open')).items.map((a) => a.id)).not.toContain(alert.id);

      const detail = await open.services.alertDetail.detail(alert.id);
      expect(detail.comments.map((c) => [c.author, c.body])).toEqual([
        ['ana.lyst', hostile],
        ['ana.lyst', 'keyboard layout after update'],
      ]);
      expect(detail.assignees.sort()).toEqual(['ana.lyst', 'sam.lead']);
    },
  );

  it.skipIf(engine.skip)('writes nothing when two analysts race on the same revision', async () => {
    const { alertTriage, scoreIngest } = open.services;
    await scoreIngest.ingest('agent-race', { sequence: 1, scores: [score('r1', 90, T0 + 5 * HOUR)] });
    const [alert] = await open.db.getRepository(AlertEntity).find({ where: { agentId: 'agent-race' } });
    const outcomes = await Promise.allSettled([
      alertTriage.transition(alert.id, 'ana', transition({ action: 'close', revision: 1, verdict: 'true_positive' })),
      alertTriage.transition(alert.id, 'bob', transition({ action: 'close', revision: 1, verdict: 'benign' })),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(refused).toEqual([expect.objectContaining({ status: 'conflict' })]);
    expect((await audited(alert.id)).filter(([, action]) => action === 'alert.close')).toHaveLength(1);
  });

  it.skipIf(engine.skip)('keeps a thread in the order it was written, within one millisecond too', async () => {
    const { scoreIngest, alertDetail } = open.services;
    await scoreIngest.ingest('agent-thread', {
      sequence: 1,
      scores: [score('t1', 90, T0 + 5 * HOUR, 'u_5555666677778888')],
    });
    const [alert] = await open.db.getRepository(AlertEntity).find({ where: { agentId: 'agent-thread' } });
    // A clock that does not move: every comment is written in the same millisecond.
    const frozen = servicesOn(open.db, new FakeClock(T0 + 6 * HOUR));
    const bodies = ['first', 'second', 'third', 'fourth', 'fifth'];
    for (const body of bodies) await frozen.alertTriage.comment(alert.id, 'ana', body);
    const { comments } = await alertDetail.detail(alert.id);
    expect(comments.map((c) => c.body)).toEqual(bodies);
  });

  it.skipIf(engine.skip)('refuses a comment over its length at the schema, and one on an unknown alert', async () => {
    const { alertTriage } = open.services;
    const { AlertCommentRequest } = await import('@wardwatch/shared');
    expect(AlertCommentRequest.safeParse({ body: 'x'.repeat(MAX_ALERT_COMMENT_LENGTH + 1) }).success).toBe(false);
    expect(AlertCommentRequest.safeParse({ body: '   ' }).success).toBe(false);
    await expect(alertTriage.comment('missing', 'ana', 'hello')).rejects.toMatchObject({ code: 'not_found' });
  });

  it.skipIf(engine.skip)(
    'shows evidence in the window, related alerts by user, workstation and source, techniques and score history',
    async () => {
      const { scoreIngest, alertDetail } = open.services;
      // Another user on another workstation failed logons from the same source address; they alerted too.
      await scoreIngest.ingest('agent-b', { sequence: 1, scores: [score('b1', 75, T0, OTHER_USER)] });
      // A later window of the same user on agent-a.
      await scoreIngest.ingest('agent-a', { sequence: 2, scores: [score('s4', 70, T0 + 2 * HOUR)] });
      const [alert] = await open.db.getRepository(AlertEntity).find({ where: { agentId: 'agent-a', windowStart: T0 } });
      const detail = await alertDetail.detail(alert.id);

      expect(detail.alert).toMatchObject({ id: alert.id, status: 'closed', verdict: 'false_positive' });
      expect(detail.techniques).toEqual([
        { id: 'T1110.001', name: 'Brute Force: Password Guessing', tactic: 'credential-access', ruleId: 'brute-force' },
      ]);
      // The user's events in the alert's window, newest first (not the one before it, not agent-b's).
      expect(detail.evidence.source).toBe('window');
      expect(detail.evidence.events.map((e) => e.id)).toEqual(['e2', 'e1']);
      expect(detail.evidence.truncated).toBe(false);

      const related = Object.fromEntries(detail.related.map((r) => [`${r.agentId}:${r.user ?? ''}`, r.relations]));
      expect(related).toEqual({
        [`agent-a:${USER}`]: ['user', 'workstation'],
        // The same pseudonym on another workstation (the race test's alert).
        [`agent-race:${USER}`]: ['user'],
        [`agent-b:${OTHER_USER}`]: ['source'],
      });
      expect(detail.related.some((r) => r.id === alert.id)).toBe(false);
      expect(detail.scoreHistory.map((p) => [p.windowStart, p.score, p.thisAlert])).toEqual([
        [T0 - 2 * HOUR, 20, false],
        [T0 - HOUR, 35, false],
        [T0, 88, true],
        [T0 + 2 * HOUR, 70, false],
      ]);
      await expect(alertDetail.detail('missing')).rejects.toMatchObject({ code: 'not_found' });
    },
  );
});
