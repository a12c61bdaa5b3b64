// Threat tiers and staged rollouts through the REST API on a whole manager (SQLite): an
// admin marks a canary; a new version goes to it alone, the rollout is visible and can be
// aborted (409 when it is not running); an alert raised for a workstation lifts its tier
// through the manager's own wiring (alerts/ → threat tiers), and its unit's, each shown
// with its cause.
import { Severity } from '@wardwatch/proto';
import {
  AgentPolicyList,
  AgentPolicyView,
  DEFAULT_POLICY,
  PolicyRolloutAnswer,
  PolicyRolloutView,
  UnitTierList,
} from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../alerts/alert.service';
import { TransactionRunner } from '../database/transaction.runner';
import {
  TEST_ADMIN_PASSWORD,
  insertOfflineAgent,
  jsonApi,
  startTestManager,
  type TestManager,
} from '../testing/test-manager.fixture';

describe('policy tiers and rollout API', () => {
  let manager: TestManager;
  let admin = '';
  const api = jsonApi(() => manager);
  const call = (method: string, path: string, body?: unknown) => api.call(method, path, body, admin);
  const agentPolicy = async (id: string) =>
    AgentPolicyView.parse(await (await call('GET', `/api/v1/agents/${id}/policy`)).json());

  beforeAll(async () => {
    manager = await startTestManager({ env: { WARDWATCH_TIER_UNIT_MIN_WORKSTATIONS: '1' } });
    for (const id of ['ws-1', 'ws-2']) await insertOfflineAgent(manager, id, id);
    admin = await api.login('admin', TEST_ADMIN_PASSWORD);
    for (const id of ['ws-1', 'ws-2'])
      expect((await call('PATCH', `/api/v1/agents/${id}`, { unit: 'icu' })).status).toBe(200);
  });
  afterAll(async () => manager?.stop());

  it('marks a canary, rolls a version out to it alone, and aborts', async () => {
    expect(PolicyRolloutAnswer.parse(await (await call('GET', '/api/v1/policy-rollout')).json())).toEqual({
      rollout: null,
    });
    expect((await call('POST', '/api/v1/policy-rollout/resume')).status).toBe(404);
    expect((await call('PUT', '/api/v1/agents/ws-1/policy/canary', { canary: 'yes' })).status).toBe(400);
    const marked = await call('PUT', '/api/v1/agents/ws-1/policy/canary', { canary: true });
    expect(marked.status).toBe(200);
    expect(AgentPolicyView.parse(await marked.json()).canary).toBe(true);

    const document = structuredClone(DEFAULT_POLICY);
    document.tiers[0].settings.idleLockSeconds = 600;
    expect((await call('POST', '/api/v1/policies', { comment: 'lock sooner', document })).status).toBe(201);
    const rollout = PolicyRolloutAnswer.parse(await (await call('GET', '/api/v1/policy-rollout')).json()).rollout;
    expect(rollout).toMatchObject({ version: 2, fromVersion: 1, state: 'canary', updatedBy: 'admin' });
    expect(rollout?.canaries.map((c) => c.agentId)).toEqual(['ws-1']);
    expect((await agentPolicy('ws-1')).policyVersion).toBe(2);
    expect((await agentPolicy('ws-2')).policyVersion).toBe(1);
    const listed = AgentPolicyList.parse(await (await call('GET', '/api/v1/policies/agents')).json());
    expect(listed.items.map((a) => [a.agentId, a.policyVersion, a.canary])).toEqual([
      ['ws-1', 2, true],
      ['ws-2', 1, false],
    ]);

    const aborted = await call('POST', '/api/v1/policy-rollout/abort');
    expect(aborted.status).toBe(200);
    expect(PolicyRolloutView.parse(await aborted.json()).state).toBe('aborted');
    expect((await call('POST', '/api/v1/policy-rollout/abort')).status).toBe(409);
    expect((await agentPolicy('ws-1')).policyVersion).toBe(1);
  });

  it('lifts a workstation and its unit when an alert is raised, with the cause', async () => {
    const alerts = manager.app.get(AlertService);
    await manager.app.get(TransactionRunner).run(async (tx) => {
      await alerts.raise(
        [
          {
            agentId: 'ws-2',
            severity: Severity.SEVERITY_CRITICAL,
            score: 0,
            title: 'ransomware',
            reasons: [],
            eventIds: [],
          },
        ],
        tx,
      );
    });
    const alertId = (await alerts.page(1)).items[0].id;
    alerts.announce([{ alertId, agentId: 'ws-2', raised: true }]);
    let view = await agentPolicy('ws-2');
    for (let i = 0; i < 100 && view.tier !== 'lockdown'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      view = await agentPolicy('ws-2');
    }
    expect(view).toMatchObject({ tier: 'lockdown', tierSource: 'threat' });
    expect(view.threat.cause).toEqual({ kind: 'alert', alertId, severity: 'critical', openAlerts: 1 });
    expect(await agentPolicy('ws-1')).toMatchObject({ tier: 'elevated', tierSource: 'unit' });
    const units = UnitTierList.parse(await (await call('GET', '/api/v1/policy-rollout/units')).json());
    expect(units.items).toMatchObject([{ unit: 'icu', level: 1, tier: 'elevated' }]);
    const audit = (await (await call('GET', '/api/v1/audit?limit=100')).json()) as {
      items: { action: string; target: string }[];
    };
    expect(audit.items.filter((e) => e.action.startsWith('policy.')).map((e) => [e.action, e.target])).toEqual(
      expect.arrayContaining([
        ['policy.tier', 'ws-2'],
        ['policy.unit_tier', 'unit:icu'],
        ['policy.canary', 'ws-1'],
        ['policy.rollout_start', 'policy:2'],
        ['policy.rollout_abort', 'policy:2'],
      ]),
    );
  });
});
