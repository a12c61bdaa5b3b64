// The manager's Prometheus metrics, in a registry of its own per app instance (never
// prom-client's global one), so several managers in one process (tests) keep apart.
// Features call the few typed methods below; values that live elsewhere (open
// sessions, SSE viewers) are read at scrape time from the callbacks their owners
// register. Every label value comes from a fixed set (see drop-labels.ts).
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { dropCount, dropLabels } from './drop-labels';

export type ObservedValue = 'agentSessions' | 'sseSubscribers';

export interface BatchOutcome {
  stored: number;
  duplicates: number;
  rejected: number;
}

export type TransactionOutcome = 'commit' | 'rollback';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

@Injectable()
export class ManagerMetrics {
  readonly registry = new Registry();
  private readonly readers = new Map<ObservedValue, () => number>();

  private readonly batches = new Counter({
    name: 'wardwatch_event_batches_total',
    help: 'Event batches received from agents, by outcome (stored: committed; failed: not stored, not acknowledged).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly events = new Counter({
    name: 'wardwatch_events_total',
    help: 'Events received from agents, by outcome: stored, duplicate (already stored) or rejected (invalid).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly batchSeconds = new Histogram({
    name: 'wardwatch_event_batch_duration_seconds',
    help: 'Time to validate and store one event batch (its transaction included), until it may be acknowledged.',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly agentDrops = new Counter({
    name: 'wardwatch_agent_dropped_events_total',
    help: 'Events agents reported they gave up before sending, by reason, priority class and category (unknown names: other).',
    labelNames: ['reason', 'class', 'category'] as const,
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'wardwatch_agent_refusals_total',
    help: 'What the manager refused from agents, by reason (intake/intake.counters.ts; clear_value: a clear value where a pseudonym belongs).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly transactionSeconds = new Histogram({
    name: 'wardwatch_db_transaction_duration_seconds',
    help: 'Database transactions, from asking (waiting for SQLite turns included) to commit or rollback.',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly probeSeconds = new Histogram({
    name: 'wardwatch_db_probe_duration_seconds',
    help: 'Round trip of the database probe (SELECT 1) made at each scrape.',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly databaseUp = new Gauge({
    name: 'wardwatch_db_up',
    help: '1 when the database answered the probe made at this scrape, else 0.',
    registers: [this.registry],
  });
  private databaseProbe: (() => Promise<boolean>) | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.gauge('wardwatch_agent_sessions', 'Agent gRPC session streams open now.', 'agentSessions');
    this.gauge('wardwatch_sse_subscribers', 'Dashboard live-event (SSE) streams open now.', 'sseSubscribers');
  }

  /** How to ask the database whether it answers; asked, and timed, at each scrape. */
  probeDatabase(probe: () => Promise<boolean>): void {
    this.databaseProbe = probe;
  }

  /** The owner of a value says how to read it; it is read at each scrape. */
  observe(value: ObservedValue, read: () => number): void {
    this.readers.set(value, read);
  }

  /** Starts timing one event batch; call the result with what became of it. */
  startBatch(): (outcome: BatchOutcome | 'failed') => void {
    const stop = this.batchSeconds.startTimer();
    return (outcome) => {
      stop();
      if (outcome === 'failed') {
        this.batches.inc({ outcome: 'failed' });
        return;
      }
      this.batches.inc({ outcome: 'stored' });
      this.events.inc({ outcome: 'stored' }, outcome.stored);
      this.events.inc({ outcome: 'duplicate' }, outcome.duplicates);
      this.events.inc({ outcome: 'rejected' }, outcome.rejected);
    };
  }

  /** Counts an agent's report of what it dropped (`reason.class.category` → count). */
  agentDropped(report: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(report)) {
      const count = dropCount(value);
      if (count > 0) this.agentDrops.inc(dropLabels(key), count);
    }
  }

  /** Counts refusals of one reason (a name from the fixed RefusalReason set). */
  refused(reason: string, by: number): void {
    this.refusals.inc({ reason }, by);
  }

  /** Starts timing one database transaction. */
  startTransaction(): (outcome: TransactionOutcome) => void {
    const stop = this.transactionSeconds.startTimer();
    return (outcome) => void stop({ outcome });
  }

  /** The text exposition format, for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    if (this.databaseProbe) {
      const stop = this.probeSeconds.startTimer();
      const up = await this.databaseProbe();
      stop();
      this.databaseUp.set(up ? 1 : 0);
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private gauge(name: string, help: string, value: ObservedValue): void {
    const readers = this.readers;
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(readers.get(value)?.() ?? 0);
      },
    });
  }
}
