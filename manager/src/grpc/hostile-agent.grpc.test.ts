// What an enrolled but hostile workstation cannot do over its real mutual-TLS
// session: rename itself, forge events under another host name, set its own alert
// bar, or hold a second session beside the real agent.
import { status } from '@grpc/grpc-js';
import { Severity, type AgentMessage } from '@wardwatch/proto';
import { AgentView, AlertPage } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import { EventQueryService } from '../events/event-query.service';
import { IntakeCounters } from '../intake/intake.counters';
import { acks, enrollTestAgent, eventBatch, hello, honestEvent, TEST_HOST } from '../testing/test-agent.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { adminGet, managerForTests, type TestManager } from '../testing/test-manager.fixture';

const auditActions = async (manager: TestManager, action: string, target: string) =>
  (await manager.app.get(AuditService).list(500)).filter((r) => r.action === action && r.target === target);

describe.each(testEngines)('a hostile agent on $name', ({ make, skip }) => {
  const running = managerForTests({ make, skip });

  it.skipIf(skip)(
    'cannot rename itself: the claim is shown to admins and audited once, events keep the enrolled name',
    async () => {
      const agent = await enrollTestAgent(running.manager);
      const forged = { ...TEST_HOST, hostname: 'ward1-ws01', os: 'win32', osVersion: '10.0', agentVersion: '0.2.0' };
      for (const sequence of [1, 2]) {
        const session = agent.open();
        session.send(hello(forged));
        session.send(eventBatch(sequence, [honestEvent(`forged-${sequence}`)]));
        await session.waitFor((got) => acks(got).includes(sequence));
        session.close();
        await session.ended();
      }
      const get = await adminGet(running.manager);
      const view = AgentView.parse(await (await get(`/api/v1/agents/${agent.agentId}`)).json());
      expect(view).toMatchObject({
        hostname: 'ward3-ws12',
        os: 'linux',
        version: '0.2.0', // versions change with upgrades and are taken
        identityMismatch: { hostname: 'ward1-ws01', os: 'win32' },
      });
      const events = await running.manager.app.get(EventQueryService).page({ agentId: agent.agentId, limit: 10 });
      expect(events.items.map((e) => e.hostname)).toEqual(['ward3-ws12', 'ward3-ws12']);
      const audited = await auditActions(running.manager, 'agent.identity_mismatch', agent.agentId);
      expect(audited).toHaveLength(1);
      expect(audited[0].details).toMatchObject({ claimed: { hostname: 'ward1-ws01', os: 'win32' } });
      expect(running.manager.app.get(IntakeCounters).get('identity_mismatch')).toBeGreaterThanOrEqual(2);

      // An honest agent's Hello raises nothing.
      const honest = await enrollTestAgent(running.manager);
      const session = honest.open();
      session.send(hello({ ...TEST_HOST, hostname: 'WARD3-WS12.' }));
      session.send(eventBatch(1, [honestEvent('h-1')]));
      await session.waitFor((got) => acks(got).includes(1));
      const honestView = AgentView.parse(await (await get(`/api/v1/agents/${honest.agentId}`)).json());
      expect(honestView.identityMismatch).toBeNull();
      session.close();
      agent.close();
      honest.close();
    },
  );

  it.skipIf(skip)("cannot set its own alert bar: the manager's threshold decides", async () => {
    const agent = await enrollTestAgent(running.manager);
    const score = (id: string, value: number, threshold: number, severity: Severity): AgentMessage => ({
      body: {
        $case: 'scores',
        value: {
          sequence: Number(id.slice(1)),
          scores: [
            {
              id,
              windowStartMs: Date.now() - 60_000,
              windowEndMs: Date.now(),
              user: `u_${'0'.repeat(15)}${id.slice(1)}`,
              score: value,
              threshold,
              severity,
              modelSource: 'own',
              baselineSource: 'user',
              reasons: [{ text: 'odd', source: 'baseline', feature: 'f', ruleId: '' }],
              ruleIds: [],
              scoredAtMs: Date.now(),
              partial: false,
              suspects: [],
            },
          ],
        },
      },
    });
    const session = agent.open();
    session.send(score('s1', 5, 0, Severity.SEVERITY_CRITICAL)); // would alert under its own bar
    session.send(score('s2', 95, 100, Severity.SEVERITY_INFO)); // would be silenced under its own bar
    await session.waitFor((got) => got.filter((m) => m.body?.$case === 'scoreAck').length === 2);
    const get = await adminGet(running.manager);
    const alerts = AlertPage.parse(await (await get('/api/v1/alerts?limit=500')).json()).items.filter(
      (a) => a.agentId === agent.agentId,
    );
    expect(alerts.map((a) => [a.score, a.severity, a.threshold])).toEqual([[95, 'critical', 60]]);
    session.close();
    agent.close();
  });

  it.skipIf(skip)(
    'cannot hold two sessions at once: the newer replaces the live one, counted and audited',
    async () => {
      const agent = await enrollTestAgent(running.manager);
      const counters = running.manager.app.get(IntakeCounters);
      const before = counters.get('second_session');
      const first = agent.open();
      first.send(hello());
      first.send(eventBatch(1, [honestEvent('one-1')]));
      await first.waitFor((got) => acks(got).includes(1));

      const second = agent.open();
      second.send(eventBatch(2, [honestEvent('two-2')]));
      expect(await first.ended()).toMatchObject({
        code: status.ABORTED,
        details: 'a newer session of this agent replaced this one; one session per agent',
      });
      await second.waitFor((got) => acks(got).includes(2));

      // The real agent comes back: it replaces the copy in turn. Never two at once.
      const third = agent.open();
      third.send(eventBatch(3, [honestEvent('three-3')]));
      expect((await second.ended())?.code).toBe(status.ABORTED);
      await third.waitFor((got) => acks(got).includes(3));
      expect(counters.get('second_session')).toBe(before + 2);
      // Audited, at most once a minute per agent.
      await expect.poll(() => auditActions(running.manager, 'agent.session_replaced', agent.agentId)).toHaveLength(1);
      const stored = await running.manager.app.get(EventQueryService).page({ agentId: agent.agentId, limit: 10 });
      expect(stored.items.map((e) => e.id).sort()).toEqual(['one-1', 'three-3', 'two-2']);
      third.close();
      agent.close();
    },
  );
});
