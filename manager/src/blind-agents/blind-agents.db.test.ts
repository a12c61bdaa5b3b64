// The blind-agent check on SQLite and PostgreSQL: heartbeats stored through the
// agent service as the gRPC session stores them, the agents with health, the
// open episode found again after a restart, its end, and the gap after it kept
// across a restart.
import type { ComponentHealth } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import type { AgentEntity } from '../agents/agent.entity';
import { AlertEntity } from '../alerts/alert.entity';
import { agentRow } from '../overview/overview-rows.fixture';
import { databaseForTests } from '../testing/engine-database.fixture';
import { FakeClock } from '../testing/fakes/fakes';
import { servicesOn } from '../testing/services.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { BlindAgentsService } from './blind-agents.service';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 2, 10, 2);

const agent = (id: string, status: AgentEntity['status']): AgentEntity => ({ ...agentRow(id, id, null), status });

const heartbeat = (components: ComponentHealth[]) => ({
  timeMs: 0,
  stats: {
    eventsSent: 1,
    eventsDropped: 0,
    queueLength: 0,
    cpuPercent: 1,
    rssBytes: 1,
    droppedByReason: {},
    outboxBytes: 0,
  },
  components,
});

describe.each(testEngines)('blind agents on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });
  const config = { blindAgents: { checkIntervalMs: MIN, severity: 'critical' as const } };

  it.skipIf(skip)(
    'alerts once on a heartbeat saying auditd stopped, across a restart, ends when it runs, keeps the gap',
    async () => {
      const clock = new FakeClock(T0);
      const services = servicesOn(open.db, clock);
      const start = () =>
        new BlindAgentsService(services.agents, services.alerts, services.transactions, clock, config);
      for (const [id, status] of [
        ['b-ws-12', 'online'],
        ['b-ws-13', 'online'],
        ['b-gone', 'revoked'],
      ] as const)
        await services.repos.agents.insert(agent(id, status));
      const down = { name: 'collector.audit', state: 'failed', message: 'auditd is not running', sinceMs: 5 };
      const up = { ...down, state: 'running', message: '' };
      await services.agents.recordHeartbeat('b-ws-12', heartbeat([down]));
      await services.agents.recordHeartbeat('b-ws-13', heartbeat([up]));
      await services.agents.recordHeartbeat('b-gone', heartbeat([down]));
      expect((await services.agents.withHealth(10)).map((a) => a.id).filter((id) => id.startsWith('b-'))).toEqual([
        'b-ws-12',
        'b-ws-13',
      ]);

      clock.advance(MIN);
      expect(await start().runOnce()).toEqual({ raised: 1, ended: 0 });
      const restarted = start();
      clock.advance(MIN);
      expect(await restarted.runOnce()).toEqual({ raised: 0, ended: 0 });
      const alerts = open.db.getRepository(AlertEntity);
      const blind = await alerts.findOneByOrFail({ kind: 'agent_blind', agentId: 'b-ws-12' });
      expect(blind).toMatchObject({
        title: 'Audit of patient data failed: b-ws-12',
        reasons: ['collector.audit failed: auditd is not running'],
        windowStart: T0,
        severity: 5,
      });

      clock.advance(10 * MIN);
      await services.agents.recordHeartbeat('b-ws-12', heartbeat([up]));
      expect(await restarted.runOnce()).toEqual({ raised: 0, ended: 1 });
      expect((await alerts.findOneByOrFail({ id: blind.id })).windowEnd).toBe(T0 + 12 * MIN);

      // Down again soon after, and the manager restarted: the stored end keeps the gap.
      clock.advance(5 * MIN);
      await services.agents.recordHeartbeat('b-ws-12', heartbeat([down]));
      expect(await start().runOnce()).toEqual({ raised: 0, ended: 0 });
      clock.advance(60 * MIN);
      expect(await start().runOnce()).toEqual({ raised: 1, ended: 0 });
      expect(await alerts.countBy({ kind: 'agent_blind', agentId: 'b-ws-12' })).toBe(2);
      for (const id of ['b-ws-12', 'b-ws-13']) await services.repos.agents.update(id, { status: 'revoked' });
    },
  );
});
