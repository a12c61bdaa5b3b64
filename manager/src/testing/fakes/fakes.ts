// Typed in-memory stand-ins for the services' collaborators, for unit tests without
// I/O. A fake repository keeps its rows in an InMemoryTable; the FakeTransactionRunner
// snapshots the tables it is given and restores them when the work throws, so a unit
// test sees the same commit-or-roll-back behaviour a real transaction gives (the real
// one is tested on SQLite and PostgreSQL in database/transaction.db.test.ts).
import type { Clock, RandomSource } from '../../common/clock';
import type { TransactionRunner, Tx } from '../../database/transaction.runner';

/** The public surface of a class: what a fake must provide. */
export type Public<T> = { [K in keyof T]: T[K] };

/** Hands a fake to a constructor that names the real class (T is inferred from where it goes). */
export function fake<T>(impl: NoInfer<Public<T>>): T {
  return impl;
}

export class InMemoryTable<R> {
  rows: R[] = [];

  snapshot(): () => void {
    const saved = structuredClone(this.rows);
    return () => {
      this.rows = saved;
    };
  }
}

export const FAKE_TX = Object.freeze({}) as Tx;

export class FakeTransactionRunner implements Public<TransactionRunner> {
  runs = 0;
  rollbacks = 0;

  constructor(private readonly tables: InMemoryTable<unknown>[] = []) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    this.runs += 1;
    const restores = this.tables.map((t) => t.snapshot());
    try {
      return await work(FAKE_TX);
    } catch (error) {
      this.rollbacks += 1;
      for (const restore of restores) restore();
      throw error;
    }
  }
}

export class FakeClock implements Public<Clock> {
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Predictable ids and bytes: uuid-1, uuid-2, …; bytes of 0xab. */
export class FakeRandom implements Public<RandomSource> {
  private next = 0;
  bytes(size: number): Buffer {
    return Buffer.alloc(size, 0xab);
  }
  token(prefix: string): string {
    this.next += 1;
    return `${prefix}token-${this.next}`;
  }
  uuid(): string {
    this.next += 1;
    return `uuid-${this.next}`;
  }
}
