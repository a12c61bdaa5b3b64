// "Promote now" through the REST API on a whole manager, on SQLite and PostgreSQL: 404
// without a rollout, 400 without a reason, 200 from the canary stage (the fleet holds the
// version at once, the view says complete, the audit row carries the admin and the reason),
// 409 once complete; and the canary deadline the view shows.
import { AgentPolicyView, DEFAULT_POLICY, PolicyRolloutAnswer, PolicyRolloutView } from '@wardwatch/shared';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { AuditLogEntity } from '../../audit/audit-log.entity';
import { testEngines } from '../../testing/test-engines.fixture';
import { insertOfflineAgent, jsonApi, managerForTests, TEST_ADMIN_PASSWORD } from '../../testing/test-manager.fixture';

const ENV = { WARDWATCH_ROLLOUT_CANARY_FRACTION: '0', WARDWATCH_ROLLOUT_CANARY_TIMEOUT_MINUTES: '45' };

describe.each(testEngines)('promote a policy rollout over HTTP on $name', (engine) => {
  const running = managerForTests(engine, ENV);
  const api = jsonApi(() => running.manager);

  it.skipIf(engine.skip)('promotes from the canary stage with a reason, once', async () => {
    const admin = await api.login('admin', TEST_ADMIN_PASSWORD);
    const call = (method: string, path: string, body?: unknown) => api.call(method, path, body, admin);
    const versionOf = async (id: string) =>
      AgentPolicyView.parse(await (await call('GET', `/api/v1/agents/${id}/policy`)).json()).policyVersion;
    for (const id of ['ws-1', 'ws-2']) await insertOfflineAgent(running.manager, id, id);
    const promote = (body: unknown) => call('POST', '/api/v1/policy-rollout/promote', body);

    expect((await promote({ reason: 'nothing to promote' })).status).toBe(404);
    expect((await call('PUT', '/api/v1/agents/ws-1/policy/canary', { canary: true })).status).toBe(200);
    const document = structuredClone(DEFAULT_POLICY);
    document.tiers[0].settings.idleLockSeconds = 600;
    const before = Date.now();
    expect((await call('POST', '/api/v1/policies', { comment: 'lock sooner', document })).status).toBe(201);
    const answer = PolicyRolloutAnswer.parse(await (await call('GET', '/api/v1/policy-rollout')).json());
    const started = PolicyRolloutView.parse(answer.rollout);
    expect(started).toMatchObject({ version: 2, state: 'canary' });
    expect(started.canaryDeadlineAt).toBe(started.startedAt + 45 * 60_000);
    expect(started.startedAt).toBeGreaterThanOrEqual(before);
    expect(await versionOf('ws-2')).toBe(1);

    expect((await promote({})).status).toBe(400);
    expect((await promote({ reason: '   ' })).status).toBe(400);
    expect((await promote({ reason: 'x'.repeat(501) })).status).toBe(400);
    const promoted = await promote({ reason: 'urgent: <b>lock</b> sooner' });
    expect(promoted.status).toBe(200);
    expect(PolicyRolloutView.parse(await promoted.json())).toMatchObject({
      version: 2,
      state: 'complete',
      updatedBy: 'admin',
      canaryDeadlineAt: null,
    });
    expect(await versionOf('ws-2')).toBe(2);
    expect((await promote({ reason: 'again' })).status).toBe(409);

    const rows = await running.manager.app
      .get(DataSource)
      .getRepository(AuditLogEntity)
      .findBy({ action: 'policy.rollout_promote' });
    expect(rows.map((row) => [row.actor, row.target, row.details])).toEqual([
      [
        'admin',
        'policy:2',
        {
          version: 2,
          from: 'canary',
          to: 'complete',
          manual: true,
          reason: 'urgent: <b>lock</b> sooner',
          haltReason: null,
          canaryStates: { ok: 0, waiting: 1, failed: 0 },
        },
      ],
    ]);
  });
});
