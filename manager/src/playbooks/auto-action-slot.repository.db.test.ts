// The caps on automatic actions on SQLite and PostgreSQL: two managers (two DataSources on
// one database, each with its own AutoActionCaps) racing for slots never pass more than a
// cap between them; the window slides; each unit is capped on its own.
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { AutoActionCaps, type CapLimits } from './auto-action-caps';
import { AutoActionSlotRepository } from './auto-action-slot.repository';

describe.each(testEngines)('automatic-action caps on $name', ({ make, skip }) => {
  let database: TestDatabase | undefined;
  let first: DataSource | undefined;
  let second: DataSource | undefined;
  beforeAll(async () => {
    if (skip) return;
    database = make();
    first = await database.open();
    second = await database.open(); // a second manager on the same database
  });
  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
    await database?.dispose();
  });

  const managers = (limits: CapLimits) =>
    [first!, second!].map((db) => ({ caps: new AutoActionCaps(new AutoActionSlotRepository(db), limits), db }));

  it.skipIf(skip)('lets exactly the fleet cap through when two managers race with 20 attempts', async () => {
    const [a, b] = managers({ perMinute: 3, perUnitPerMinute: 10 });
    const now = 1_000_000;
    const attempts = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).caps.take(null, now + i));
    const verdicts = await Promise.all(attempts);
    expect(verdicts.filter((v) => v.ok)).toHaveLength(3);
    expect(verdicts.filter((v) => !v.ok).every((v) => !v.ok && v.cap === 'fleet')).toBe(true);
    expect(await new AutoActionSlotRepository(a.db).count()).toBe(3);
  });

  it.skipIf(skip)('caps each unit on its own across managers, and the window slides', async () => {
    const [a, b] = managers({ perMinute: 50, perUnitPerMinute: 2 });
    const now = 5_000_000;
    const ward = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).caps.take('ward-3', now)));
    expect(ward.filter((v) => v.ok)).toHaveLength(2);
    expect(ward.find((v) => !v.ok)).toEqual({ ok: false, cap: 'unit' });
    expect(await b.caps.take('icu', now)).toEqual({ ok: true });
    expect(await a.caps.take(null, now)).toEqual({ ok: true });
    expect(await a.caps.take('ward-3', now + 59_999)).toEqual({ ok: false, cap: 'unit' });
    expect(await b.caps.take('ward-3', now + 60_000)).toEqual({ ok: true });
  });

  it.skipIf(skip)('prunes slots outside the window, never those inside it', async () => {
    const repo = new AutoActionSlotRepository(first!);
    const limits = { perMinute: 100, perUnitPerMinute: 100 };
    for (let i = 0; i < 4; i++) await repo.take(null, 9_000_000 + i, 9_000_000 - 59_999, limits);
    const before = await repo.count();
    expect(await repo.pruneBefore(9_000_002, 10)).toBeGreaterThanOrEqual(2);
    expect(await repo.count()).toBeLessThanOrEqual(before - 2);
    expect((await repo.take(null, 9_000_010, 9_000_000 - 59_999, { perMinute: 3, perUnitPerMinute: 3 })).ok).toBe(true);
  });
});
