// Playbook versions and workstation labels on SQLite and PostgreSQL: the latest-version
// query, the primary key refusing a second writer of one version, the service's
// versioning and audit rows, and the seed that runs once.
import { PlaybookDefinition } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { Clock, RandomSource } from '../common/clock';
import { databaseForTests } from '../testing/engine-database.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { DEFAULT_PLAYBOOKS } from './default-playbooks';
import { PlaybookError } from './playbook.errors';
import { evaluatePlaybooks } from './playbook-evaluation';
import { PlaybookRepository } from './playbook.repository';
import { PlaybookService } from './playbook.service';

const definition = (name: string, enabled = true) =>
  PlaybookDefinition.parse({
    name,
    enabled,
    rules: [{ name: 'r', when: { minScore: 90 }, then: [{ kind: 'notify', mode: 'notify' }] }],
  });

describe.each(testEngines)('playbooks on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });
  const sut = () => {
    const repo = new PlaybookRepository(open.db);
    const service = new PlaybookService(
      repo,
      open.services.transactions,
      open.services.audit,
      new Clock(),
      new RandomSource(),
    );
    return { repo, service };
  };

  it.skipIf(skip)('keeps every version, lists the latest of each, refuses a second writer of a version', async () => {
    const { repo, service } = sut();
    const a = await service.create(definition('alpha'), 'admin', 'pb-alpha');
    await service.create(definition('beta'), 'admin', 'pb-beta');
    await service.update(a.id, { ...definition('alpha 2', false) }, 'admin');
    const three = await service.update(a.id, { ...definition('alpha 3'), baseVersion: 2 }, 'admin');
    expect(three.version).toBe(3);
    expect((await repo.latestAll(10)).map((r) => [r.playbookId, r.version, r.name])).toEqual([
      ['pb-alpha', 3, 'alpha 3'],
      ['pb-beta', 1, 'beta'],
    ]);
    expect((await service.versions(a.id)).map((v) => [v.version, v.name, v.enabled])).toEqual([
      [3, 'alpha 3', true],
      [2, 'alpha 2', false],
      [1, 'alpha', true],
    ]);
    expect((await service.get(a.id)).rules[0].when).toEqual({ minScore: 90 });
    await expect(service.update(a.id, { ...definition('stale'), baseVersion: 2 }, 'admin')).rejects.toMatchObject({
      code: 'version_conflict',
    });
    await expect(
      open.services.transactions.run((tx) =>
        repo.insert(
          {
            playbookId: 'pb-alpha',
            version: 3,
            name: 'x',
            enabled: true,
            definition: definition('x'),
            createdAt: 1,
            createdBy: 'x',
          },
          tx,
        ),
      ),
    ).rejects.toThrow();
    await expect(service.get('pb-none')).rejects.toBeInstanceOf(PlaybookError);
    const audit = (await open.services.audit.list(50)).filter((r) => r.target === a.id).reverse();
    expect(audit.map((r) => [r.action, r.details.version])).toEqual([
      ['playbook.create', 1],
      ['playbook.update', 2],
      ['playbook.update', 3],
    ]);
    expect(audit[1].details.changes).toEqual({
      name: { before: 'alpha', after: 'alpha 2' },
      enabled: { before: true, after: false },
    });
  });

  it.skipIf(skip)('seeds the defaults once, into an empty table only', async () => {
    const { repo, service } = sut();
    // The table already holds the previous test's playbooks: nothing is seeded.
    expect(await service.seedDefaults()).toBe(0);
    const empty = open.db.getRepository('playbook_version');
    await empty.clear();
    expect(await service.seedDefaults()).toBe(DEFAULT_PLAYBOOKS.length);
    expect(await service.seedDefaults()).toBe(0);
    expect((await repo.latestAll(50)).map((r) => r.playbookId)).toEqual(DEFAULT_PLAYBOOKS.map((d) => d.id).sort());
  });

  it.skipIf(skip)('keeps an identity-mismatch condition as written, and the seeded default acts on it', async () => {
    const { service } = sut();
    const stored = await service.get('default-identity-mismatch');
    expect(stored.rules[0].when).toEqual({ minIdentityMismatch: 0.9, alertKinds: ['behaviour'] });
    const custom = await service.create(
      PlaybookDefinition.parse({
        name: 'doubted identity on the ICU',
        enabled: true,
        rules: [
          {
            name: 'r',
            when: { minIdentityMismatch: 0.75, units: ['icu'] },
            then: [{ kind: 'notify', mode: 'notify' }],
          },
        ],
      }),
      'admin',
      'pb-identity',
    );
    expect((await service.get(custom.id)).rules[0].when).toEqual({ minIdentityMismatch: 0.75, units: ['icu'] });
    const facts = (identityMismatch: number | null) => ({
      id: 'a',
      kind: 'behaviour' as const,
      score: 70,
      severity: 'medium' as const,
      ruleIds: [],
      reasons: [],
      userRole: null,
      identityMismatch,
    });
    const decide = async (identityMismatch: number | null) =>
      evaluatePlaybooks(await service.enabled(), facts(identityMismatch), { tags: [], unit: 'icu' }, 0, 'UTC')
        .map((m) => `${m.playbookId}:${m.action.kind}:${m.action.mode}`)
        .sort();
    expect(await decide(0.95)).toEqual([
      'default-identity-mismatch:lock_screen:approve',
      'default-identity-mismatch:notify:notify',
    ]);
    expect(await decide(0.8)).toEqual(['pb-identity:notify:notify']);
    expect(await decide(null)).toEqual([]);
  });

  it.skipIf(skip)('stores workstation tags and unit, audited with before and after', async () => {
    const { agents, repos } = open.services;
    await repos.agents.insert({
      id: 'ws-1',
      hostname: 'ward3-ws1',
      os: 'linux',
      osVersion: '6',
      version: '0.1.0',
      status: 'online',
      enrolledAt: 1,
      lastSeenAt: null,
      certFingerprint: 'x',
      stats: null,
    });
    await agents.updateLabels('ws-1', { tags: ['shared-clinical', 'icu'], unit: 'Ward 3' }, 'admin');
    expect(await repos.agents.findById('ws-1')).toMatchObject({ tags: ['shared-clinical', 'icu'], unit: 'Ward 3' });
    await agents.updateLabels('ws-1', { unit: null }, 'admin');
    expect(await repos.agents.findById('ws-1')).toMatchObject({ tags: ['shared-clinical', 'icu'], unit: null });
    const [last] = await open.services.audit.list(1);
    expect(last).toMatchObject({
      action: 'agent.update',
      target: 'ws-1',
      details: { before: { unit: 'Ward 3' }, after: { unit: null } },
    });
  });
});
