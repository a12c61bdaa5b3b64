// The enrollment-token list and revocation SQL on SQLite and PostgreSQL: revoking is a
// conditional update (only an unused, unrevoked token), a revoked token cannot be spent,
// and the list is the newest tokens first, cut at TOKEN_LIST_LIMIT.
import { describe, expect, it } from 'vitest';
import type { Tx } from '../database/transaction.runner';
import { databaseForTests } from '../testing/engine-database.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import type { EnrollmentTokenEntity } from './enrollment-token.entity';
import { TOKEN_LIST_LIMIT } from './enrollment-token.repository';

const token = (tokenHash: string, createdAt: number): EnrollmentTokenEntity => ({
  tokenHash,
  createdAt,
  expiresAt: createdAt + 3_600_000,
  createdBy: 'admin',
  usedAt: null,
  usedByAgent: null,
});

describe.each(testEngines)('enrollment tokens on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('revokes only an unused, unrevoked token, once, and a revoked one cannot be spent', async () => {
    const { enrollmentTokens: tokens } = open.services.repos;
    const run = <T>(work: (tx: Tx) => Promise<T>) => open.services.transactions.run(work);
    await tokens.insert(token('r-fresh', 1_000));
    await tokens.insert(token('r-used', 1_000));
    expect(await run((tx) => tokens.markUsed('r-used', 2_000, 'agent-1', tx))).toBe(true);

    expect(await run((tx) => tokens.markRevoked('r-fresh', 3_000, tx))).toBe(true);
    expect(await run((tx) => tokens.markRevoked('r-fresh', 4_000, tx))).toBe(false);
    expect(await run((tx) => tokens.markRevoked('r-used', 3_000, tx))).toBe(false);
    expect(await run((tx) => tokens.markRevoked('r-unknown', 3_000, tx))).toBe(false);

    // The first revocation's time stays; the used token keeps no revocation.
    expect(await tokens.findByHash('r-fresh')).toMatchObject({ revokedAt: 3_000, usedAt: null });
    expect(await tokens.findByHash('r-used')).toMatchObject({ revokedAt: null, usedAt: 2_000, usedByAgent: 'agent-1' });
    // Revoked before its expiry: spending it still fails.
    expect(await run((tx) => tokens.markUsed('r-fresh', 3_500, 'agent-2', tx))).toBe(false);
    expect(await tokens.findByHash('r-fresh')).toMatchObject({ usedAt: null, usedByAgent: null });
  });

  it.skipIf(skip)('lists the newest tokens first, at most TOKEN_LIST_LIMIT, with their states as stored', async () => {
    const { enrollmentTokens: tokens } = open.services.repos;
    // Created after the first test's tokens, so these are the newest; inserted out of order.
    const base = 1_800_000_000_000;
    const times = Array.from({ length: TOKEN_LIST_LIMIT + 5 }, (_, i) => base + ((i * 37) % (TOKEN_LIST_LIMIT + 5)));
    await open.services.transactions.run(async (tx) => {
      for (const at of times) await tokens.insert(token(`l-${String(at - base)}`, at), tx);
    });
    await open.services.transactions.run((tx) => tokens.markRevoked(`l-${String(TOKEN_LIST_LIMIT + 4)}`, base + 9, tx));

    const listed = await tokens.listNewest();
    expect(listed).toHaveLength(TOKEN_LIST_LIMIT);
    const expected = [...times].sort((a, b) => b - a).slice(0, TOKEN_LIST_LIMIT);
    expect(listed.map((row) => row.createdAt)).toEqual(expected);
    // bigint columns come back as numbers on both engines, and the revocation with them.
    expect(listed[0]).toEqual({ ...token(`l-${String(TOKEN_LIST_LIMIT + 4)}`, expected[0]), revokedAt: base + 9 });
    expect(listed[1]?.revokedAt).toBeNull();
    // The oldest (including the first test's tokens) fall off the end.
    expect(listed.some((row) => row.tokenHash.startsWith('r-'))).toBe(false);
  });
});
