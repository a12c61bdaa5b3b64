import { describe, expect, it } from 'vitest';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FAKE_TX, FakeClock, FakeTransactionRunner } from '../testing/fakes/fakes';
import { auditHash, GENESIS_HASH } from './audit-chain';
import { AuditService } from './audit.service';

function sut() {
  const rows = new InMemoryAuditRepository();
  const runner = new FakeTransactionRunner([rows]);
  const clock = new FakeClock(5_000);
  const service = new AuditService(fake(rows), fake<TransactionRunner>(runner), clock, testAuditKeyring());
  return { service, rows, runner, clock };
}

describe('AuditService', () => {
  it('chains each row to the one before, from the genesis hash', async () => {
    const { service, rows } = sut();
    const first = await service.append({ actor: 'admin', action: 'a.one', target: 't1' });
    const second = await service.append({ actor: 'admin', action: 'a.two', target: 't2', details: { n: 2 } });
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, timeMs: 5_000, details: {} });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, details: { n: 2 } });
    expect(await service.verify()).toEqual({ ok: true, rows: 2, headHash: second.hash });
    expect(rows.rows).toHaveLength(2);
  });

  it("appends in the caller's transaction when given one, else in one of its own", async () => {
    const { service, runner } = sut();
    await service.append({ actor: 'a', action: 'x', target: 't' }, FAKE_TX);
    expect(runner.runs).toBe(0);
    await service.append({ actor: 'a', action: 'x', target: 't' });
    expect(runner.runs).toBe(1);
  });

  it('finds an edited row when it verifies', async () => {
    const { service, rows } = sut();
    for (const target of ['t1', 't2', 't3']) await service.append({ actor: 'a', action: 'x', target });
    rows.rows[1] = { ...rows.rows[1], actor: 'mallory' };
    expect(await service.verify()).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('lists newest first, before a sequence number', async () => {
    const { service } = sut();
    for (const target of ['t1', 't2', 't3']) await service.append({ actor: 'a', action: 'x', target });
    expect((await service.list(2)).map((r) => r.seq)).toEqual([3, 2]);
    expect((await service.list(5, 3)).map((r) => r.seq)).toEqual([2, 1]);
  });

  it('keys every row from keyedFromSeq on: a recomputed plain hash does not verify', async () => {
    const { service, rows } = sut();
    for (const target of ['t1', 't2']) await service.append({ actor: 'a', action: 'x', target });
    const edited = { ...rows.rows[1], actor: 'mallory' };
    rows.rows[1] = { ...edited, hash: auditHash(edited.prevHash, edited) };
    expect(await service.verify()).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });
});
