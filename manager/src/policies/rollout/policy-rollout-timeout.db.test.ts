// A canary that never reports, and an admin's "promote now", on SQLite and PostgreSQL:
// a silent canary halts the rollout once the canary timeout passes (audited by the system,
// with the silent agents; the fleet keeps the previous version); a resume gives the canaries
// the timeout again; a timeout of 0 waits for ever. Promoting from a halt or straight from
// the canary stage gives the fleet the version at once, audited with the admin's reason.
import type { PolicyCompliance } from '@wardwatch/proto';
import { DEFAULT_POLICY, type PolicyDocument } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { databaseForTests } from '../../testing/engine-database.fixture';
import { MIN, policyTiersSut, workstation } from '../../testing/policy-tiers.fixture';
import { testEngines } from '../../testing/test-engines.fixture';

const T0 = Date.UTC(2026, 11, 3, 9, 0);
const ENV = {
  WARDWATCH_ROLLOUT_CANARY_FRACTION: '0',
  WARDWATCH_ROLLOUT_SOAK_MINUTES: '10',
  WARDWATCH_ROLLOUT_CANARY_TIMEOUT_MINUTES: '30',
};

const report = (policyVersion: number, errors: string[] = []): PolicyCompliance => ({
  revision: policyVersion,
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

describe.each(testEngines)('canary timeout and promote now on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)(
    'halts when a canary stays silent past the timeout; a resume gives it the timeout again',
    async () => {
      const sut = policyTiersSut(open.db, ENV, T0);
      for (const id of ['c1', 'c2', 'f1']) await sut.services.repos.agents.insert(workstation(id));
      await sut.policies.seedDefault();
      for (const id of ['c1', 'c2']) await sut.agentPolicies.setCanary(id, true, 'admin');
      for (const id of ['c1', 'c2', 'f1']) await sut.connect(id);

      await sut.policies.create({ comment: 'shorter lock', document: withIdleLock(600) }, 'admin');
      await sut.agentPolicies.deliverToConnected();
      expect(await sut.rollouts.view()).toMatchObject({ version: 2, state: 'canary', canaryDeadlineAt: T0 + 30 * MIN });
      sut.clock.advance(MIN);
      await sut.agentPolicies.recordCompliance('c1', report(2));
      // c2 says nothing. Just before the deadline the rollout still waits.
      sut.clock.advance(28 * MIN);
      expect(await sut.rollouts.progress()).toBe('canary');
      sut.clock.advance(MIN - 1);
      expect(await sut.rollouts.progress()).toBe('canary');
      sut.clock.advance(1);
      expect(await sut.rollouts.progress()).toBe('halted');
      expect(await sut.rollouts.view()).toMatchObject({
        state: 'halted',
        haltReason: 'no report of the version within 30 min from canaries c2',
        canaryDeadlineAt: null,
        canaries: [
          { agentId: 'c1', status: 'ok' },
          { agentId: 'c2', status: 'waiting' },
        ],
      });
      const [halt] = await sut.auditOf('policy.rollout_halt');
      expect(halt).toMatchObject({
        actor: 'system',
        target: 'policy:2',
        details: { version: 2, cause: 'canary_timeout', silent: ['c2'], deadline: T0 + 30 * MIN },
      });
      // Halted, the fleet stays on version 1 however long it waits.
      sut.clock.advance(60 * MIN);
      expect(await sut.rollouts.progress()).toBe('halted');
      await sut.agentPolicies.deliverToConnected();
      expect(sut.received('f1').map((p) => p.policyVersion)).toEqual([1]);

      // Resumed: a new deadline from the resume; both report after it, and the soak promotes.
      const resumedAt = sut.clock.now();
      expect(await sut.rollouts.resume('admin')).toMatchObject({
        state: 'canary',
        canaryDeadlineAt: resumedAt + 30 * MIN,
      });
      sut.clock.advance(20 * MIN);
      await sut.agentPolicies.recordCompliance('c1', report(2));
      await sut.agentPolicies.recordCompliance('c2', report(2));
      expect(await sut.rollouts.progress()).toBe('canary');
      sut.clock.advance(10 * MIN);
      expect(await sut.rollouts.progress()).toBe('complete');
      await sut.agentPolicies.deliverToConnected();
      expect(sut.received('f1').map((p) => p.policyVersion)).toEqual([1, 2]);
      expect(await sut.auditOf('policy.rollout_halt')).toHaveLength(1);

      // With the timeout off, a silent canary holds the rollout (and the view names no deadline).
      const patient = policyTiersSut(
        open.db,
        { ...ENV, WARDWATCH_ROLLOUT_CANARY_TIMEOUT_MINUTES: '0' },
        T0 + 1_000 * MIN,
      );
      await patient.policies.create({ comment: 'patient', document: withIdleLock(500) }, 'admin');
      expect(await patient.rollouts.view()).toMatchObject({ version: 3, state: 'canary', canaryDeadlineAt: null });
      patient.clock.advance(10_000 * MIN);
      expect(await patient.rollouts.progress()).toBe('canary');
      await patient.rollouts.abort('admin');
    },
  );

  it.skipIf(skip)('promotes now from a halt and from the canary stage, audited with the reason', async () => {
    const sut = policyTiersSut(open.db, ENV, T0 + 20_000 * MIN);
    for (const id of ['c1', 'c2', 'f1']) await sut.connect(id);
    await sut.policies.create({ comment: 'no idle lock', document: withIdleLock(0) }, 'admin');
    await sut.agentPolicies.deliverToConnected();
    sut.clock.advance(MIN);
    await sut.agentPolicies.recordCompliance('c1', report(4, ['idle_lock: logind refused the setting']));
    expect(await sut.rollouts.progress()).toBe('halted');

    const promoted = await sut.rollouts.promote('ana.admin', 'idle lock is set by group policy on this fleet');
    expect(promoted).toMatchObject({ version: 4, state: 'complete', updatedBy: 'ana.admin' });
    await sut.agentPolicies.deliverToConnected();
    expect(sut.received('f1').at(-1)?.policyVersion).toBe(4);
    expect((await sut.agentPolicies.view('f1')).policyVersion).toBe(4);
    await expect(sut.rollouts.promote('ana.admin', 'again')).rejects.toMatchObject({ code: 'rollout_state' });

    // Straight from the canary stage, nobody having reported yet.
    await sut.policies.create({ comment: 'lock at 400 s', document: withIdleLock(400) }, 'admin');
    expect((await sut.agentPolicies.view('f1')).policyVersion).toBe(4);
    await sut.rollouts.promote('ana.admin', 'urgent: lock sooner on every ward');
    expect((await sut.agentPolicies.view('f1')).policyVersion).toBe(5);

    const manual = (await sut.auditOf('policy.rollout_promote')).filter((row) => row.actor === 'ana.admin');
    expect(manual.map((row) => row.details)).toEqual([
      {
        version: 4,
        from: 'halted',
        to: 'complete',
        manual: true,
        reason: 'idle lock is set by group policy on this fleet',
        haltReason: 'canary c1: the version was not applied; idle_lock: logind refused the setting',
        canaryStates: { ok: 0, waiting: 1, failed: 1 },
      },
      {
        version: 5,
        from: 'canary',
        to: 'complete',
        manual: true,
        reason: 'urgent: lock sooner on every ward',
        haltReason: null,
        canaryStates: { ok: 0, waiting: 2, failed: 0 },
      },
    ]);
  });
});
