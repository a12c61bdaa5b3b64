import { describe, expect, it } from 'vitest';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import type { ComponentReport } from '../agents/agent-health.schema';
import type { AgentEntity } from '../agents/agent.entity';
import { AgentService } from '../agents/agent.service';
import { AlertService } from '../alerts/alert.service';
import { AuditService } from '../audit/audit.service';
import { agentRow } from '../overview/overview-rows.fixture';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAgentRepository } from '../testing/fakes/agent.repository.fake';
import { InMemoryAlertRepository } from '../testing/fakes/alert.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { BlindAgentsService, MIN_EPISODE_GAP_MS } from './blind-agents.service';

const MIN = 60_000;
// 2026-12-02 10:02:00 UTC
const T0 = Date.UTC(2026, 11, 2, 10, 2);
const AUDITD_DOWN: ComponentReport = {
  name: 'collector.audit',
  state: 'failed',
  message: 'auditd is not running',
  sinceMs: 123, // the agent's clock: never the episode's key
};
const RULES_GONE: ComponentReport = {
  name: 'collector.reads.rule',
  state: 'failed',
  message: 'the audit read rules on the patient-data folders were removed while the agent ran',
  sinceMs: 124,
};
const running = (name: string): ComponentReport => ({ name, state: 'running', message: '', sinceMs: 1 });
const ALL_RUNNING = ['collector.audit', 'collector.files', 'collector.reads', 'collector.reads.rule'].map(running);

function agent(id: string, components: ComponentReport[] | null, heartbeatAt: number | null = T0): AgentEntity {
  return { ...agentRow(id, id.replace('agent-', ''), null), lastSeenAt: heartbeatAt, heartbeatAt, components };
}

function sut(checkIntervalMs = MIN) {
  const tables = {
    agents: new InMemoryAgentRepository(),
    alerts: new InMemoryAlertRepository(),
    audit: new InMemoryAuditRepository(),
  };
  const clock = new FakeClock(T0);
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([tables.agents, tables.alerts, tables.audit]));
  const audit = new AuditService(fake(tables.audit), transactions, clock, testAuditKeyring());
  const agents = new AgentService(fake(tables.agents), transactions, clock, audit, new AgentSessionsRegistry());
  const alerts = new AlertService(fake(tables.alerts), audit, clock, new FakeRandom());
  const config = { blindAgents: { checkIntervalMs, severity: 'high' as const } };
  const service = new BlindAgentsService(agents, alerts, transactions, clock, config);
  /** A heartbeat stored now with these components. */
  const beat = (id: string, components: ComponentReport[]) => {
    const row = tables.agents.rows.find((a) => a.id === id)!;
    Object.assign(row, { heartbeatAt: clock.now(), lastSeenAt: clock.now(), components });
  };
  return { service, clock, beat, agentService: agents, alertService: alerts, transactions, config, ...tables };
}

describe('BlindAgentsService', () => {
  it("raises one alert per episode naming the failed parts in the agent's words, keyed by the manager's time", async () => {
    const { service, clock, agents, alerts, audit, beat } = sut();
    agents.rows = [
      agent('agent-ws-12', [...ALL_RUNNING.slice(1), AUDITD_DOWN, RULES_GONE]),
      agent('agent-ws-13', ALL_RUNNING),
      agent('agent-ws-14', [
        { name: 'collector.files.watches', state: 'failed', message: 'out of watches', sinceMs: 1 },
      ]),
      agent('agent-ws-15', null, null), // no heartbeat yet
    ];
    clock.advance(MIN);
    expect(await service.runOnce()).toEqual({ raised: 1, ended: 0 });
    expect(alerts.rows).toHaveLength(1);
    expect(alerts.rows[0]).toMatchObject({
      kind: 'agent_blind',
      agentId: 'agent-ws-12',
      severity: 4,
      title: 'Audit of patient data failed: ws-12',
      reasons: [
        'collector.audit failed: auditd is not running',
        'collector.reads.rule failed: the audit read rules on the patient-data folders were removed while the agent ran',
      ],
      windowStart: T0,
      windowEnd: null,
    });
    expect(audit.rows.map((r) => [r.actor, r.action])).toEqual([['system', 'alert.raise']]);

    // Still failed, heartbeat after heartbeat: the same episode.
    clock.advance(MIN);
    beat('agent-ws-12', [AUDITD_DOWN]);
    expect(await service.runOnce()).toEqual({ raised: 0, ended: 0 });

    // The agent restarted: it never saw the read rules, so it says stopped. Not seeing again.
    clock.advance(MIN);
    beat('agent-ws-12', [
      ...ALL_RUNNING.slice(0, 3),
      { ...RULES_GONE, state: 'stopped', message: 'reads are not audited here' },
    ]);
    expect(await service.runOnce()).toEqual({ raised: 0, ended: 0 });

    // Working again: the episode ends with a note, the alert stays.
    clock.advance(35 * MIN);
    beat('agent-ws-12', ALL_RUNNING);
    expect(await service.runOnce()).toEqual({ raised: 0, ended: 1 });
    expect(alerts.rows[0].windowEnd).toBe(clock.now());
    expect(alerts.rows[0].reasons.at(-1)).toBe(
      'ws-12 said its audit of patient data works again at 10:40 UTC, after 38 min',
    );
    expect(audit.rows.at(-1)).toMatchObject({ action: 'alert.episode_end' });
  });

  it('raises no new episode for an agent within the gap after its last ended, so flapping costs one an hour', async () => {
    const { service, clock, agents, alerts, beat, agentService, alertService, transactions, config } = sut();
    agents.rows = [agent('agent-ws-12', [AUDITD_DOWN])];
    expect(await service.runOnce()).toMatchObject({ raised: 1 });
    for (let i = 0; i < 10; i++) {
      clock.advance(MIN);
      beat('agent-ws-12', i % 2 === 0 ? ALL_RUNNING : [AUDITD_DOWN]);
      await service.runOnce();
    }
    expect(alerts.rows).toHaveLength(1);
    // The gap is the stored end's: a restarted manager (a new service on the same tables) keeps it.
    const restarted = new BlindAgentsService(agentService, alertService, transactions, clock, config);
    clock.advance(MIN);
    beat('agent-ws-12', [AUDITD_DOWN]);
    expect(await restarted.runOnce()).toEqual({ raised: 0, ended: 0 });
    clock.advance(MIN_EPISODE_GAP_MS);
    beat('agent-ws-12', [AUDITD_DOWN]);
    expect(await service.runOnce()).toEqual({ raised: 1, ended: 0 });
    expect(alerts.rows.map((a) => a.windowStart)).toEqual([T0, clock.now()]);
  });

  it('ends the episode of an agent revoked while blind, and does nothing when switched off', async () => {
    const { service, clock, agents, alerts } = sut();
    agents.rows = [agent('agent-ws-12', [AUDITD_DOWN])];
    await service.runOnce();
    agents.rows[0].status = 'revoked';
    clock.advance(MIN);
    expect(await service.runOnce()).toEqual({ raised: 0, ended: 1 });
    expect(alerts.rows[0].reasons.at(-1)).toMatch(/^ws-12 was revoked while its audit had failed/);

    const off = sut(0);
    off.agents.rows = [agent('agent-ws-12', [AUDITD_DOWN])];
    expect(await off.service.runOnce()).toEqual({ raised: 0, ended: 0 });
    expect(off.alerts.rows).toHaveLength(0);
  });
});
