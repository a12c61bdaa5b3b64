// Policy versions and agent assignments on SQLite and PostgreSQL: the default seeded
// once, versions kept and the latest in force, a stale edit refused, a version that
// drops a pinned tier refused, an agent's row (pin, revision, bounded compliance JSON)
// written and read back, and every new version audited.
import { DEFAULT_POLICY, type PolicyComplianceReport, type PolicyDocument } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { Clock } from '../common/clock';
import { databaseForTests } from '../testing/engine-database.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { parseConfig } from '../config/config.schema';
import { AgentPolicyRepository, freshAgentPolicy } from './agent-policy.repository';
import { PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';
import { PolicyRolloutRepository } from './rollout/policy-rollout.repository';
import { PolicyRolloutService } from './rollout/policy-rollout.service';

const report: PolicyComplianceReport = {
  revision: 2,
  policyVersion: 1,
  tier: 'lockdown',
  applied: false,
  errors: ["manager_link: cipher suites unknown to this agent's TLS: X"],
  diskEncryption: { state: 'encrypted', detail: 'root file system on vg-root, encrypted by dm-crypt (luks-1)' },
  settings: [{ name: 'sealing', state: 'not_enforced', detail: 'not enforced in this build' }],
  reportedAtMs: 1_796_370_000_000,
};

describe.each(testEngines)('policies on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });
  const sut = () => {
    const repo = new PolicyRepository(open.db);
    const agents = new AgentPolicyRepository(open.db);
    const { transactions, audit } = open.services;
    const rollouts = new PolicyRolloutService(
      new PolicyRolloutRepository(open.db),
      agents,
      open.services.agents,
      transactions,
      audit,
      new Clock(),
      parseConfig({}, '/'),
    );
    const service = new PolicyService(repo, agents, transactions, audit, new Clock(), rollouts);
    return { repo, agents, service };
  };

  it.skipIf(skip)('seeds the default once, keeps every version, refuses a stale edit', async () => {
    const { service } = sut();
    expect(await service.seedDefault()).toBe(true);
    expect(await service.seedDefault()).toBe(false);
    expect((await service.current()).document).toEqual(DEFAULT_POLICY);
    const edited: PolicyDocument = structuredClone(DEFAULT_POLICY);
    edited.tiers[0].name = 'Everyday';
    const two = await service.create({ baseVersion: 1, comment: 'renamed', document: edited }, 'admin');
    expect(two.version).toBe(2);
    expect((await service.current()).document.tiers[0].name).toBe('Everyday');
    expect((await service.list()).map((p) => [p.version, p.createdBy, p.comment])).toEqual([
      [2, 'admin', 'renamed'],
      [1, 'system', 'default policy'],
    ]);
    await expect(service.create({ baseVersion: 1, comment: '', document: edited }, 'admin')).rejects.toMatchObject({
      code: 'version_conflict',
    });
    const audited = (await open.services.audit.list(100)).filter((r) => r.action === 'policy.create');
    expect(audited.map((r) => r.details)).toEqual([
      { version: 2, previousVersion: 1, tiers: ['baseline', 'elevated', 'lockdown'], comment: 'renamed' },
      { version: 1, previousVersion: 0, tiers: ['baseline', 'elevated', 'lockdown'], comment: 'default policy' },
    ]);
  });

  it.skipIf(skip)('keeps an agent row with its compliance, and refuses a version without a pinned tier', async () => {
    const { agents, service } = sut();
    await agents.save({
      ...freshAgentPolicy('agent-1'),
      pinnedTier: 'lockdown',
      revision: 2,
      policyVersion: 1,
      tier: 'lockdown',
      sentAt: 1_796_370_000_001,
      compliance: report,
      complianceAt: 1_796_370_000_002,
    });
    await agents.save({ ...(await agents.find('agent-1'))!, revision: 3 });
    const row = await agents.find('agent-1');
    expect(row).toMatchObject({
      revision: 3,
      pinnedTier: 'lockdown',
      sentAt: 1_796_370_000_001,
      complianceAt: 1_796_370_000_002,
    });
    expect(row?.compliance).toEqual(report);
    expect([...(await agents.pinnedTiers())]).toEqual([['lockdown', 1]]);

    const withoutLockdown: PolicyDocument = { tiers: DEFAULT_POLICY.tiers.slice(0, 2) };
    await expect(service.create({ comment: '', document: withoutLockdown }, 'admin')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('"lockdown" is pinned on 1 workstations') as unknown,
    });
  });
});
