// The decision memory on SQLite and PostgreSQL: a key is claimed once, also by claims
// racing each other, and pruning removes only old rows, a bounded number at a time.
import { describe, expect, it } from 'vitest';
import { databaseForTests } from '../testing/engine-database.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { PlaybookDecisionRepository } from './playbook-decision.repository';

describe.each(testEngines)('playbook decision memory on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('claims an (alert, key) once; another key or alert is a new claim', async () => {
    const repo = new PlaybookDecisionRepository(open.db);
    expect(await repo.claim('alert-1', 'lock_screen', 1_000)).toBe(true);
    expect(await repo.claim('alert-1', 'lock_screen', 2_000)).toBe(false);
    expect(await repo.claim('alert-1', 'kill_process_tree:4242:1733140000', 2_000)).toBe(true);
    expect(await repo.claim('alert-2', 'lock_screen', 2_000)).toBe(true);
    expect(await repo.count()).toBe(3);
  });

  it.skipIf(skip)('of many claims racing for one key, exactly one wins', async () => {
    const repo = new PlaybookDecisionRepository(open.db);
    const claims = await Promise.all(Array.from({ length: 16 }, () => repo.claim('race', 'block_removable', 5_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it.skipIf(skip)('prunes rows decided before the cutoff, at most `limit` at a time', async () => {
    const repo = new PlaybookDecisionRepository(open.db);
    for (let i = 0; i < 5; i++) await repo.claim(`old-${i}`, 'notify', 10 + i);
    await repo.claim('fresh', 'notify', 10_000);
    const before = await repo.count();
    expect(await repo.pruneBefore(100, 3)).toBe(3);
    expect(await repo.pruneBefore(100, 3)).toBe(2);
    expect(await repo.pruneBefore(100, 3)).toBe(0);
    expect(await repo.count()).toBe(before - 5);
    // A pruned key may be claimed again; a kept one may not.
    expect(await repo.claim('old-0', 'notify', 20_000)).toBe(true);
    expect(await repo.claim('fresh', 'notify', 20_000)).toBe(false);
  });
});
