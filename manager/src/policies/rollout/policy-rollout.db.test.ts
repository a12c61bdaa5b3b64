// Staged rollout on SQLite and PostgreSQL: a new version reaches only the canaries; the
// fleet gets it once they reported it applied and stayed well for the soak time; a
// canary's failure halts it (audited, with the agent and its problem, visible in the
// view) and the fleet keeps the previous version; an admin resumes (older reports no
// longer count) or aborts (the canaries back on the fleet's version).
import type { PolicyCompliance } from '@wardwatch/proto';
import { DEFAULT_POLICY, type PolicyDocument } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { databaseForTests } from '../../testing/engine-database.fixture';
import { MIN, policyTiersSut, workstation } from '../../testing/policy-tiers.fixture';
import { testEngines } from '../../testing/test-engines.fixture';

const T0 = Date.UTC(2026, 11, 3, 9, 0);
const ENV = { WARDWATCH_ROLLOUT_CANARY_FRACTION: '0', WARDWATCH_ROLLOUT_SOAK_MINUTES: '10' };

const report = (policyVersion: number, revision: number, errors: string[] = []): PolicyCompliance => ({
  revision,
  policyVersion,
  tier: 'baseline',
  applied: errors.length === 0,
  errors,
  diskEncryption: { state: 'encrypted', detail: 'LUKS' },
  settings: [{ name: 'idle_lock', state: 'applied', detail: 'logind locks after 900 s idle' }],
  reportedAtMs: T0,
});

const withIdleLock = (seconds: number): PolicyDocument => {
  const doc = structuredClone(DEFAULT_POLICY);
  doc.tiers[0].settings.idleLockSeconds = seconds;
  return doc;
};

describe.each(testEngines)('staged policy rollout on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('canaries first, the fleet after the soak; halted by a canary failure', async () => {
    const sut = policyTiersSut(open.db, ENV, T0);
    for (const id of ['c1', 'f1', 'f2']) await sut.services.repos.agents.insert(workstation(id));
    await sut.policies.seedDefault();
    await sut.agentPolicies.setCanary('c1', true, 'admin');
    for (const id of ['c1', 'f1']) await sut.connect(id);

    await sut.policies.create({ comment: 'shorter lock', document: withIdleLock(600) }, 'admin');
    await sut.agentPolicies.deliverToConnected();
    expect(await sut.rollouts.view()).toMatchObject({
      version: 2,
      fromVersion: 1,
      state: 'canary',
      canaries: [{ agentId: 'c1', status: 'waiting' }],
    });
    expect(sut.received('c1').map((p) => p.policyVersion)).toEqual([1, 2]);
    expect(sut.received('f1').map((p) => p.policyVersion)).toEqual([1]);
    expect((await sut.agentPolicies.view('f2')).policyVersion).toBe(1);

    // Well, but not yet for the soak time: the fleet waits.
    sut.clock.advance(MIN);
    await sut.agentPolicies.recordCompliance('c1', report(2, 2));
    expect(await sut.rollouts.progress()).toBe('canary');
    expect((await sut.rollouts.view())?.soakEndsAt).toBe(T0 + 11 * MIN);
    sut.clock.advance(9 * MIN);
    expect(await sut.rollouts.progress()).toBe('canary');
    sut.clock.advance(MIN);
    expect(await sut.rollouts.progress()).toBe('complete');
    await sut.agentPolicies.deliverToConnected();
    expect(sut.received('f1').map((p) => p.policyVersion)).toEqual([1, 2]);
    expect((await sut.agentPolicies.view('f2')).policyVersion).toBe(2);

    // Version 3: the canary fails to apply it; the rollout halts and the fleet stays on 2.
    sut.clock.advance(MIN);
    await sut.policies.create({ comment: 'no idle lock', document: withIdleLock(0) }, 'admin');
    await sut.agentPolicies.deliverToConnected();
    sut.clock.advance(MIN);
    await sut.agentPolicies.recordCompliance('c1', report(3, 3, ['idle_lock: logind refused the setting']));
    expect(await sut.rollouts.progress()).toBe('halted');
    const halted = await sut.rollouts.view();
    expect(halted).toMatchObject({
      version: 3,
      fromVersion: 2,
      state: 'halted',
      haltReason: 'canary c1: the version was not applied; idle_lock: logind refused the setting',
      canaries: [{ agentId: 'c1', status: 'failed' }],
    });
    sut.clock.advance(20 * MIN);
    expect(await sut.rollouts.progress()).toBe('halted');
    expect((await sut.agentPolicies.view('f1')).policyVersion).toBe(2);
    const [halt] = await sut.auditOf('policy.rollout_halt');
    expect(halt).toMatchObject({ actor: 'system', target: 'policy:3', details: { version: 3, agentId: 'c1' } });

    // Resumed: the failure reported before no longer counts; aborted: the canary back on 2.
    const resumed = await sut.rollouts.resume('admin');
    expect(resumed).toMatchObject({ state: 'canary', haltReason: null, canaries: [{ status: 'waiting' }] });
    const aborted = await sut.rollouts.abort('admin');
    expect(aborted.state).toBe('aborted');
    await sut.agentPolicies.deliverToConnected();
    expect(sut.received('c1').map((p) => p.policyVersion)).toEqual([1, 2, 3, 2]);
    await expect(sut.rollouts.resume('admin')).rejects.toMatchObject({ code: 'rollout_state' });
    expect((await sut.auditOf('policy.rollout_start')).map((r) => r.details.canaries)).toEqual([['c1'], ['c1']]);
    expect((await sut.auditOf('policy.rollout_promote')).map((r) => r.target)).toEqual(['policy:2']);
    expect((await sut.auditOf('policy.rollout_resume')).map((r) => r.actor)).toEqual(['admin']);
    expect((await sut.auditOf('policy.rollout_abort')).map((r) => r.actor)).toEqual(['admin']);

    // The next version starts from what the fleet holds (2), not from the aborted 3.
    await sut.policies.create({ comment: 'again', document: withIdleLock(700) }, 'admin');
    expect(await sut.rollouts.view()).toMatchObject({ version: 4, fromVersion: 2, state: 'canary' });
  });

  it.skipIf(skip)('draws the configured share of the fleet as canaries, marked ones included', async () => {
    const sut = policyTiersSut(open.db, { WARDWATCH_ROLLOUT_CANARY_FRACTION: '0.25' }, T0);
    const ids = Array.from({ length: 8 }, (_, i) => `d${i}`);
    for (const id of ids) await sut.services.repos.agents.insert(workstation(id));
    const plan = await sut.rollouts.plan();
    const fleet = plan.agentIds.filter((id) => id.startsWith('d'));
    expect(fleet).toEqual(ids);
    await sut.policies.seedDefault();
    await sut.policies.create({ comment: '', document: withIdleLock(500) }, 'admin');
    const view = await sut.rollouts.view();
    // A quarter of the fleet in this database (its other agents included), drawn by hash.
    expect(view?.canaries.length).toBe(Math.ceil(0.25 * plan.agentIds.length));
  });
});
