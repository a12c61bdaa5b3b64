// The batch insert on both engines: chunks over the bound-parameter limit, repeats
// inside and across batches, every column stored as TypeORM reads it back.
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertColumns, MAX_PARAMETERS } from '../database/insert-new-rows';
import { TransactionRunner } from '../database/transaction.runner';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import type { EventRecord } from './event-record';
import { EventEntity } from './event.entity';
import { EventRepository } from './event.repository';

const record = (agentId: string, eventId: string, overrides: Partial<EventRecord> = {}): EventRecord => ({
  agentId,
  eventId,
  sequence: 7,
  hostname: 'host',
  timeMs: 1_700_000_000_123,
  receivedMs: 1_700_000_000_456,
  severity: 2,
  user: 'u_abc',
  category: 'file',
  action: 'create',
  detail: { action: 'create', path: 'p_1/x.pdf', depth: 2, nested: { ok: true } },
  ...overrides,
});

describe.each(testEngines)('event batch insert on $name', ({ name, make, skip }) => {
  let database: TestDatabase;
  let db: DataSource;
  let events: EventRepository;
  let transactions: TransactionRunner;
  const insert = (records: EventRecord[]) => transactions.run((tx) => events.insertNew(records, tx));

  beforeAll(async () => {
    if (skip) return;
    database = make();
    db = await database.open();
    events = new EventRepository(db);
    transactions = new TransactionRunner(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.dispose();
  });

  it.skipIf(skip)('writes every column of the entity, as TypeORM reads it back', async () => {
    // A column added to the entity but not carried by EventRecord would be stored as null: this fails first.
    const columns = insertColumns(db.getMetadata(EventEntity)).map((c) => c.propertyName);
    expect(columns.sort()).toEqual(Object.keys(record('a', 'b')).sort());
    const wide = record('agent-cols', 'e-1', { sequence: Number.MAX_SAFE_INTEGER, user: 'ü"\'\\;--' });
    const plain = record('agent-cols', 'e-2', { sequence: null, detail: {} });
    expect(await insert([wide, plain])).toEqual([wide, plain]);
    const stored = await db
      .getRepository(EventEntity)
      .find({ where: { agentId: 'agent-cols' }, order: { eventId: 'ASC' } });
    expect(stored.map((row) => ({ ...row }))).toEqual([wide, plain]);
  });

  it.skipIf(skip)('splits a batch over the bound-parameter limit into several statements', async () => {
    const perStatement = Math.floor(MAX_PARAMETERS[name] / insertColumns(db.getMetadata(EventEntity)).length);
    const count = perStatement * 2 + 17;
    const many = Array.from({ length: count }, (_, i) => record('agent-big', `big-${i}`, { timeMs: 1_000 + i }));
    const fresh = await insert(many);
    expect(fresh).toHaveLength(count);
    expect(fresh[0]).toBe(many[0]);
    expect(fresh.at(-1)).toBe(many.at(-1));
    expect(await events.countForAgent('agent-big')).toBe(count);
    // All of it again, across the same chunk borders: nothing new.
    expect(await insert(many)).toEqual([]);
    expect(await events.countForAgent('agent-big')).toBe(count);
  });

  it.skipIf(skip)('skips ids repeated inside a batch and ids stored by an earlier batch', async () => {
    const first = record('agent-dup', 'd-1', { action: 'first' });
    const repeat = record('agent-dup', 'd-1', { action: 'second' });
    const other = record('agent-dup', 'd-2');
    expect(await insert([first, other, repeat])).toEqual([first, other]);
    // The first of the repeats is the one stored.
    expect((await db.getRepository(EventEntity).findOneByOrFail({ agentId: 'agent-dup', eventId: 'd-1' })).action).toBe(
      'first',
    );
    const later = record('agent-dup', 'd-3');
    // The same id from another agent is another event.
    const elsewhere = record('agent-dup-2', 'd-1');
    expect(await insert([repeat, later, other, elsewhere, later])).toEqual([later, elsewhere]);
    expect(await events.countForAgent('agent-dup')).toBe(3);
  });

  it.skipIf(skip)('stores nothing of a batch whose transaction rolls back', async () => {
    const doomed = [record('agent-rb', 'r-1'), record('agent-rb', 'r-2')];
    await expect(
      transactions.run(async (tx) => {
        await events.insertNew(doomed, tx);
        throw new Error('after the insert');
      }),
    ).rejects.toThrow('after the insert');
    expect(await events.countForAgent('agent-rb')).toBe(0);
    expect(await insert(doomed)).toEqual(doomed);
  });
});
