// The silence check on SQLite and PostgreSQL: the agents' last-contact query, the
// episode lookup that survives a restart, the return note, and the kind column
// (alerts written without one are `behaviour`).
import { describe, expect, it } from 'vitest';
import type { AgentEntity } from '../agents/agent.entity';
import { AlertEntity } from '../alerts/alert.entity';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { databaseForTests } from '../testing/engine-database.fixture';
import { FakeClock } from '../testing/fakes/fakes';
import { servicesOn } from '../testing/services.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { SilentAgentsService } from './silent-agents.service';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 2, 10, 2);

const agent = (id: string, status: AgentEntity['status'], lastSeenAt: number | null): AgentEntity => ({
  id,
  hostname: id,
  os: 'linux',
  osVersion: '6',
  version: '0.1.0',
  status,
  enrolledAt: 1,
  lastSeenAt,
  certFingerprint: 'sha256:x',
  stats: null,
});

describe.each(testEngines)('silent agents on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });
  const config = { silentAgents: { afterMs: 5 * MIN, checkIntervalMs: MIN, severity: 'high' as const } };

  it.skipIf(skip)('finds agents silent since a time, not revoked nor never seen, longest silent first', async () => {
    const { agents } = open.services.repos;
    await agents.insert(agent('q-recent', 'online', T0 - MIN));
    await agents.insert(agent('q-old', 'offline', T0 - 60 * MIN));
    await agents.insert(agent('q-older', 'online', T0 - 90 * MIN));
    await agents.insert(agent('q-never', 'offline', null));
    await agents.insert(agent('q-revoked', 'revoked', T0 - 90 * MIN));
    const silent = await agents.lastSeenBefore(T0 - 5 * MIN, 10);
    expect(silent.map((a) => a.id).filter((id) => id.startsWith('q-'))).toEqual(['q-older', 'q-old']);
    expect((await agents.lastSeenBefore(T0 - 5 * MIN, 1)).map((a) => a.id)).toEqual(['q-older']);
    for (const id of ['q-recent', 'q-old', 'q-older', 'q-never']) await agents.update(id, { status: 'revoked' });
  });

  it.skipIf(skip)('raises one alert per episode across a restart, and notes the return', async () => {
    const clock = new FakeClock(T0);
    const services = servicesOn(open.db, clock);
    const start = () => new SilentAgentsService(services.agents, services.alerts, services.transactions, clock, config);
    await services.repos.agents.insert(agent('ws-12', 'offline', T0 - 10 * MIN));
    await services.transactions.run((tx) =>
      services.alerts.raise(
        [{ agentId: 'ws-12', severity: 3, score: 70, title: 'Unusual', reasons: ['r'], eventIds: [] }],
        tx,
      ),
    );

    const first = start();
    clock.advance(5 * MIN);
    expect(await first.runOnce()).toEqual({ raised: 1, ended: 0 });
    const restarted = start();
    clock.advance(6 * MIN);
    expect(await restarted.runOnce()).toEqual({ raised: 0, ended: 0 });

    const alerts = open.db.getRepository(AlertEntity);
    const silent = await alerts.findOneByOrFail({ kind: 'agent_silent', agentId: 'ws-12' });
    expect(silent).toMatchObject({
      title: 'Agent silent: ws-12',
      reasons: ['no heartbeat from ws-12 for 15 min, last seen 09:52 UTC'],
      windowStart: T0 - 10 * MIN,
      windowEnd: null,
      user: null,
      score: 0,
      severity: 4,
    });
    expect(await alerts.countBy({ kind: 'behaviour', agentId: 'ws-12' })).toBe(1);

    await services.agents.touch('ws-12');
    clock.advance(MIN);
    expect(await restarted.runOnce()).toEqual({ raised: 0, ended: 1 });
    const ended = await alerts.findOneByOrFail({ id: silent.id });
    expect(ended.windowEnd).toBe(T0 + 11 * MIN);
    expect(ended.reasons[1]).toBe('ws-12 was heard from again at 10:13 UTC, after 21 min of silence');
    const audit = await open.db.getRepository(AuditLogEntity).findBy({ target: silent.id });
    expect(audit.map((r) => [r.actor, r.action])).toEqual([
      ['system', 'alert.raise'],
      ['system', 'alert.episode_end'],
    ]);
    expect(await services.audit.verify()).toMatchObject({ ok: true });
  });
});
