import { describe, expect, it } from 'vitest';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import type { AgentEntity } from '../agents/agent.entity';
import { AgentService } from '../agents/agent.service';
import { AlertService } from '../alerts/alert.service';
import { AuditService } from '../audit/audit.service';
import type { SilentAgentsConfig } from '../config/config.schema';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAgentRepository } from '../testing/fakes/agent.repository.fake';
import { InMemoryAlertRepository } from '../testing/fakes/alert.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { SilentAgentsService } from './silent-agents.service';

const MIN = 60_000;
// 2026-12-02 10:02:00 UTC
const T0 = Date.UTC(2026, 11, 2, 10, 2);

function agent(id: string, lastSeenAt: number | null, status: AgentEntity['status'] = 'offline'): AgentEntity {
  return {
    id,
    hostname: id.replace('agent-', ''),
    os: 'linux',
    osVersion: '6.1',
    version: '0.1.0',
    status,
    enrolledAt: T0 - 86_400_000,
    lastSeenAt,
    certFingerprint: 'f',
    stats: null,
  };
}

/** A manager whose process started at `startedAt`, sharing the given tables (a restart keeps them). */
function sut(
  tables = {
    agents: new InMemoryAgentRepository(),
    alerts: new InMemoryAlertRepository(),
    audit: new InMemoryAuditRepository(),
  },
  startedAt = T0,
  settings: Partial<SilentAgentsConfig> = {},
) {
  const clock = new FakeClock(startedAt);
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([tables.agents, tables.alerts, tables.audit]));
  const audit = new AuditService(fake(tables.audit), transactions, clock, testAuditKeyring());
  const agents = new AgentService(fake(tables.agents), transactions, clock, audit, new AgentSessionsRegistry());
  const alerts = new AlertService(fake(tables.alerts), audit, clock, new FakeRandom());
  const config = { silentAgents: { afterMs: 5 * MIN, checkIntervalMs: MIN, severity: 'high' as const, ...settings } };
  const service = new SilentAgentsService(agents, alerts, transactions, clock, config);
  return { service, clock, tables, ...tables };
}

describe('SilentAgentsService', () => {
  it('raises one alert per silence episode with the host, the silence and the last contact in UTC', async () => {
    const { service, clock, agents, alerts, audit } = sut();
    agents.rows = [agent('agent-ws-12', T0), agent('agent-ws-13', T0 + 3 * MIN, 'online')];
    clock.time = T0 + 7 * MIN;

    expect(await service.runOnce()).toEqual({ raised: 1, ended: 0 });
    expect(alerts.rows).toHaveLength(1);
    expect(alerts.rows[0]).toMatchObject({
      kind: 'agent_silent',
      agentId: 'agent-ws-12',
      severity: 4, // high
      status: 'open',
      title: 'Agent silent: ws-12',
      reasons: ['no heartbeat from ws-12 for 7 min, last seen 10:02 UTC'],
      windowStart: T0,
      windowEnd: null,
      user: null,
    });
    expect(audit.rows.map((r) => [r.actor, r.action, r.target])).toEqual([['system', 'alert.raise', 'uuid-1']]);

    // Later ticks of the same silence: nothing new.
    clock.advance(MIN);
    expect(await service.runOnce()).toEqual({ raised: 0, ended: 0 });
    clock.advance(30 * MIN);
    expect(await service.runOnce()).toEqual({ raised: 1, ended: 0 }); // only ws-13 now
    expect(alerts.rows.map((a) => a.agentId)).toEqual(['agent-ws-12', 'agent-ws-13']);
  });

  it('raises nothing again after a restart, nor after an analyst closed the alert', async () => {
    const first = sut();
    first.agents.rows = [agent('agent-ws-12', T0 - 20 * MIN)];
    first.clock.time = T0 + 5 * MIN;
    expect(await first.service.runOnce()).toMatchObject({ raised: 1 });
    first.alerts.rows[0].status = 'closed';

    const restarted = sut(first.tables, T0 + 10 * MIN);
    restarted.clock.advance(6 * MIN);
    expect(await restarted.service.runOnce()).toEqual({ raised: 0, ended: 0 });
    expect(restarted.alerts.rows).toHaveLength(1);
  });

  it('waits one limit after the manager started, and never alerts for agents never heard from or revoked', async () => {
    const { service, clock, agents, alerts } = sut();
    agents.rows = [
      agent('agent-ws-1', T0 - 60 * MIN),
      agent('agent-never', null),
      agent('agent-revoked', T0 - 60 * MIN, 'revoked'),
    ];
    clock.time = T0 + 5 * MIN - 1;
    expect(await service.runOnce()).toEqual({ raised: 0, ended: 0 });
    clock.time = T0 + 5 * MIN;
    expect(await service.runOnce()).toEqual({ raised: 1, ended: 0 });
    expect(alerts.rows.map((a) => [a.agentId, a.reasons[0]])).toEqual([
      ['agent-ws-1', 'no heartbeat from ws-1 for 65 min, last seen 09:02 UTC'],
    ]);
  });

  it('notes the agent’s return on the alert and audits it, keeps the alert, and alerts again on a new silence', async () => {
    const { service, clock, agents, alerts, audit } = sut();
    agents.rows = [agent('agent-ws-12', T0)];
    clock.time = T0 + 6 * MIN;
    await service.runOnce();
    alerts.rows[0].status = 'acknowledged';

    agents.rows[0].lastSeenAt = T0 + 44 * MIN; // heartbeats again
    clock.time = T0 + 45 * MIN;
    expect(await service.runOnce()).toEqual({ raised: 0, ended: 1 });
    expect(alerts.rows).toHaveLength(1);
    expect(alerts.rows[0]).toMatchObject({
      status: 'acknowledged',
      windowStart: T0,
      windowEnd: T0 + 44 * MIN,
      updatedAt: T0 + 45 * MIN,
      reasons: [
        'no heartbeat from ws-12 for 6 min, last seen 10:02 UTC',
        'ws-12 was heard from again at 10:46 UTC, after 44 min of silence',
      ],
    });
    expect(audit.rows.at(-1)).toMatchObject({ actor: 'system', action: 'alert.episode_end', target: 'uuid-1' });
    expect(await service.runOnce()).toEqual({ raised: 0, ended: 0 });

    clock.time = T0 + 50 * MIN;
    expect(await service.runOnce()).toEqual({ raised: 1, ended: 0 });
    expect(alerts.rows.map((a) => a.windowStart)).toEqual([T0, T0 + 44 * MIN]);
  });

  it('ends the episode of an agent revoked while silent', async () => {
    const { service, clock, agents, alerts } = sut();
    agents.rows = [agent('agent-ws-12', T0)];
    clock.time = T0 + 6 * MIN;
    await service.runOnce();
    agents.rows[0].status = 'revoked';
    clock.advance(MIN);
    expect(await service.runOnce()).toEqual({ raised: 0, ended: 1 });
    expect(alerts.rows[0].windowEnd).toBe(T0 + 7 * MIN);
    expect(alerts.rows[0].reasons.at(-1)).toMatch(/^ws-12 was revoked while silent/);
  });

  it('takes its severity from the configuration, and does nothing when turned off', async () => {
    const low = sut(undefined, T0, { severity: 'critical' });
    low.agents.rows = [agent('agent-ws-12', T0 - 60 * MIN)];
    low.clock.time = T0 + 5 * MIN;
    await low.service.runOnce();
    expect(low.alerts.rows[0].severity).toBe(5);

    const off = sut(undefined, T0, { afterMs: 0 });
    off.agents.rows = [agent('agent-ws-12', T0 - 60 * MIN)];
    off.clock.time = T0 + 600 * MIN;
    expect(await off.service.runOnce()).toEqual({ raised: 0, ended: 0 });
    expect(off.alerts.rows).toEqual([]);
  });
});
