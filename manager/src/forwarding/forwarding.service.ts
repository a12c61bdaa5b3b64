// Forwarding alerts, response actions and audit entries to SIEMs, at least once.
//
// Invariants:
// - Nothing here runs in an ingest path or an API request that changes alerts or commands:
//   the source is the audit log, written in those changes' own transactions, and a job reads it.
// - `fill` turns audit rows after the cursor into outbox rows (one per destination and record)
//   and moves the cursor in the same transaction: a crash repeats a fill, and the outbox's key
//   (destination, event id) makes the repeat add nothing. The cursor starts at the log's head
//   the first time, so an old installation does not replay its history into a new SIEM.
// - `drain` deletes a row only after the receiver took it; a failure reschedules it with the
//   shared backoff (shared/src/retry) until `maxAttempts`, then it is a dead letter: counted on
//   the destination for ever, the newest DEAD_LETTERS_KEPT kept for inspection.
// - Records carry an event id fixed by the audit row and kind: receivers dedupe on it.
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  backoffDelay,
  type AlertView,
  type CreateDestinationRequest,
  type DeadLetterView,
  type DestinationConfig,
  type DestinationView,
  type TestDeliveryResult,
  type UpdateDestinationRequest,
} from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { TransactionRunner } from '../database/transaction.runner';
import type { ForwardDestinationEntity } from './forward-destination.entity';
import type { ForwardOutboxEntity } from './forward-outbox.entity';
import { kindsOf, recordOf, snapshotOf, type AlertSnapshot, type ForwardRecord } from './forward-record';
import { ForwardSender } from './forward-senders';
import { ForwardingError } from './forwarding.errors';
import { ForwardingRepository } from './forwarding.repository';

/** How the alerts' own data is read for a finding (AlertService in the app). */
export interface AlertLookup {
  find(id: string): Promise<AlertView | null>;
}
export const ALERT_LOOKUP = Symbol('AlertLookup');
/** The backoff's jitter source ([0, 1)); tests fix it to see the exact delays. */
export const FORWARD_JITTER = Symbol('ForwardJitter');

export const DEAD_LETTERS_KEPT = 1_000;
const FILL_BATCH = 500;
const DRAIN_BATCH = 200;

@Injectable()
export class ForwardingService {
  constructor(
    private readonly repo: ForwardingRepository,
    private readonly audit: AuditService,
    @Inject(ALERT_LOOKUP) private readonly alerts: AlertLookup,
    private readonly sender: ForwardSender,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'forwarding'>,
    @Optional() @Inject(FORWARD_JITTER) private readonly jitter: () => number = Math.random,
  ) {}

  /** At start: webhook secrets stored in clear (before sealing existed) are sealed, audited. */
  async sealStoredSecrets(): Promise<number> {
    return this.transactions.run(async (tx) => {
      const ids = await this.repo.sealStoredSecrets(tx);
      if (ids.length > 0) {
        await this.audit.append(
          { actor: 'system', action: 'forwarding.secrets_sealed', target: '-', details: { destinations: ids } },
          tx,
        );
      }
      return ids.length;
    });
  }

  async list(): Promise<DestinationView[]> {
    const views: DestinationView[] = [];
    for (const row of await this.repo.listDestinations()) views.push(await this.view(row));
    return views;
  }

  async create(request: CreateDestinationRequest, actor: string): Promise<DestinationView> {
    const row: ForwardDestinationEntity = {
      id: this.random.uuid(),
      name: request.name,
      enabled: request.enabled,
      kinds: request.kinds,
      config: request.config,
      createdAt: this.clock.now(),
      createdBy: actor,
      deliveredCount: 0,
      deadCount: 0,
      lastDeliveredAt: null,
    };
    await this.transactions.run(async (tx) => {
      await this.repo.saveDestination(row, tx);
      await this.audit.append(
        { actor, action: 'forwarding.create', target: row.id, details: describeDestination(row) },
        tx,
      );
    });
    return this.view(row);
  }

  async update(id: string, request: UpdateDestinationRequest, actor: string): Promise<DestinationView> {
    const row = await this.transactions.run(async (tx) => {
      const before = await this.repo.findDestination(id, tx);
      if (!before) throw notFound(id);
      const after: ForwardDestinationEntity = {
        ...before,
        name: request.name ?? before.name,
        enabled: request.enabled ?? before.enabled,
        kinds: request.kinds ?? before.kinds,
        config: request.config ?? before.config,
      };
      await this.repo.saveDestination(after, tx);
      await this.audit.append(
        {
          actor,
          action: 'forwarding.update',
          target: id,
          details: {
            before: describeDestination(before),
            after: describeDestination(after),
            ...(request.config?.type === 'webhook' ? { secretReplaced: true } : {}),
          },
        },
        tx,
      );
      return after;
    });
    return this.view(row);
  }

  async remove(id: string, actor: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const row = await this.repo.findDestination(id, tx);
      if (!row) throw notFound(id);
      await this.repo.deleteDestination(id, tx);
      await this.audit.append(
        { actor, action: 'forwarding.remove', target: id, details: describeDestination(row) },
        tx,
      );
    });
  }

  /**
   * Sends one test record to the destination now, outside the outbox (no retry, not counted),
   * so an admin sees at once whether the receiver takes it; audited with the outcome.
   */
  async sendTest(id: string, actor: string): Promise<TestDeliveryResult> {
    const destination = await this.repo.findDestination(id);
    if (!destination) throw notFound(id);
    const record: ForwardRecord = {
      eventId: `wardwatch-test-${this.random.uuid()}`,
      kind: 'audit',
      seq: 0,
      timeMs: this.clock.now(),
      actor,
      action: 'forwarding.test',
      target: id,
      details: { test: true },
    };
    const [outcome] = await this.sender.send(destination.config, [record]);
    const result: TestDeliveryResult =
      outcome?.ok === true ? { delivered: true } : { delivered: false, error: outcome?.error ?? 'no outcome' };
    await this.transactions.run((tx) =>
      this.audit.append(
        { actor, action: 'forwarding.test', target: id, details: { eventId: record.eventId, ...result } },
        tx,
      ),
    );
    return result;
  }

  async deadLetters(id: string, limit: number): Promise<DeadLetterView[]> {
    if (!(await this.repo.findDestination(id))) throw notFound(id);
    return (await this.repo.deadLetters(id, limit)).map((row) => ({
      eventId: row.eventId,
      kind: row.kind,
      attempts: row.attempts,
      lastError: row.lastError ?? '',
      createdAt: row.createdAt,
      deadAt: row.deadAt ?? row.createdAt,
    }));
  }

  /** Turns audit rows after the cursor into outbox rows; answers how many audit rows it read. */
  async fill(): Promise<number> {
    let cursor = await this.repo.cursor();
    if (cursor === undefined) {
      const [head] = await this.audit.list(1);
      cursor = head?.seq ?? 0;
      const start = cursor;
      await this.transactions.run((tx) => this.repo.setCursor(start, tx));
    }
    const rows = await this.audit.listAfter(cursor, FILL_BATCH);
    if (rows.length === 0) return 0;
    const destinations = (await this.repo.listDestinations()).filter((d) => d.enabled);
    const now = this.clock.now();
    const outbox: ForwardOutboxEntity[] = [];
    const alerts = new Map<string, AlertSnapshot | undefined>();
    for (const row of rows)
      for (const kind of kindsOf(row.action)) {
        const takers = destinations.filter((d) => d.kinds.includes(kind));
        if (takers.length === 0) continue;
        let alert: AlertSnapshot | undefined;
        if (kind === 'alert') {
          if (!alerts.has(row.target)) {
            const view = await this.alerts.find(row.target);
            alerts.set(row.target, view ? snapshotOf(view) : undefined);
          }
          alert = alerts.get(row.target);
        }
        const record = recordOf(row, kind, alert);
        for (const destination of takers)
          outbox.push({
            destinationId: destination.id,
            eventId: record.eventId,
            kind,
            record,
            state: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            lastError: null,
            createdAt: now,
            deadAt: null,
          });
      }
    const last = rows[rows.length - 1].seq;
    await this.transactions.run(async (tx) => {
      await this.repo.enqueue(outbox, tx);
      await this.repo.setCursor(last, tx);
    });
    return rows.length;
  }

  /** Sends what is due; answers how many were delivered, rescheduled and given up. */
  async drain(): Promise<{ delivered: number; retried: number; dead: number }> {
    const tally = { delivered: 0, retried: 0, dead: 0 };
    // Only enabled destinations' rows: a disabled one's backlog must not fill every batch.
    const enabled = (await this.repo.listDestinations()).filter((d) => d.enabled).map((d) => d.id);
    if (enabled.length === 0) return tally;
    const due = await this.repo.due(this.clock.now(), DRAIN_BATCH, enabled);
    const byDestination = new Map<string, ForwardOutboxEntity[]>();
    for (const row of due) byDestination.set(row.destinationId, [...(byDestination.get(row.destinationId) ?? []), row]);
    const { maxAttempts, backoffBaseMs, backoffMaxMs } = this.config.forwarding;
    for (const [destinationId, rows] of byDestination) {
      const destination = await this.repo.findDestination(destinationId);
      // Disabled: kept, and sent once it is enabled again.
      if (!destination?.enabled) continue;
      const outcomes = await this.sender.send(
        destination.config,
        rows.map((r) => r.record),
      );
      const now = this.clock.now();
      await this.transactions.run(async (tx) => {
        const sent: string[] = [];
        for (const [i, row] of rows.entries()) {
          const outcome = outcomes[i] ?? { ok: false, error: 'no outcome' };
          if (outcome.ok) sent.push(row.eventId);
          else if (row.attempts + 1 >= maxAttempts) {
            await this.repo.markDead(row, outcome.error, now, tx);
            tally.dead++;
          } else {
            const delay = backoffDelay(row.attempts, {
              baseMs: backoffBaseMs,
              maxMs: backoffMaxMs,
              random: this.jitter,
            });
            await this.repo.reschedule(row, outcome.error, now + delay, tx);
            tally.retried++;
          }
        }
        await this.repo.delivered(destinationId, sent, now, tx);
        tally.delivered += sent.length;
        if (tally.dead > 0) await this.repo.pruneDead(destinationId, DEAD_LETTERS_KEPT, tx);
      });
    }
    return tally;
  }

  private async view(row: ForwardDestinationEntity): Promise<DestinationView> {
    return {
      id: row.id,
      name: row.name,
      enabled: row.enabled,
      kinds: row.kinds,
      type: row.config.type,
      target: targetOf(row.config),
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      counts: {
        pending: await this.repo.countPending(row.id),
        delivered: row.deliveredCount,
        dead: row.deadCount,
      },
      lastDeliveredAt: row.lastDeliveredAt ?? null,
    };
  }
}

function targetOf(config: DestinationConfig): string {
  return config.type === 'syslog' ? `${config.host}:${config.port}` : config.url;
}

/** What the audit log keeps of a destination: never its secret. */
function describeDestination(row: ForwardDestinationEntity): Record<string, unknown> {
  return {
    name: row.name,
    enabled: row.enabled,
    kinds: row.kinds,
    type: row.config.type,
    target: targetOf(row.config),
  };
}

const notFound = (id: string) => new ForwardingError('not_found', `no forwarding destination ${id}`);
