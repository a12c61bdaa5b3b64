// Storage of destinations, the outbox and the audit cursor. Outbox rows are keyed by
// (destination, event id), so filling the outbox twice from the same audit rows adds nothing.
import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, type QueryDeepPartialEntity } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { DestinationSecrets, isSealed } from './destination-secrets';
import { ForwardCursorEntity } from './forward-cursor.entity';
import { ForwardDestinationEntity } from './forward-destination.entity';
import { ForwardOutboxEntity } from './forward-outbox.entity';

const AUDIT_CURSOR = 'audit';

@Injectable()
export class ForwardingRepository {
  constructor(
    private readonly db: DataSource,
    private readonly secrets: DestinationSecrets,
  ) {}

  private destinations(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(ForwardDestinationEntity);
  }
  private outbox(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(ForwardOutboxEntity);
  }

  async listDestinations(): Promise<ForwardDestinationEntity[]> {
    const rows = await this.destinations().find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map((row) => this.opened(row));
  }

  async findDestination(id: string, tx?: Tx): Promise<ForwardDestinationEntity | null> {
    const row = await this.destinations(tx).findOne({ where: { id } });
    return row && this.opened(row);
  }

  /** Written with its webhook secret sealed. */
  async saveDestination(row: ForwardDestinationEntity, tx: Tx): Promise<void> {
    await this.destinations(tx).save({ ...row, config: this.secrets.sealed(row.config, row.id) });
  }

  /** Seals the webhook secrets stored in clear before sealing existed; returns the ids sealed. */
  async sealStoredSecrets(tx: Tx): Promise<string[]> {
    const rows = await this.destinations(tx).find();
    const clear = rows.filter((row) => row.config.type === 'webhook' && !isSealed(row.config.secret));
    for (const row of clear) {
      await this.destinations(tx).update({ id: row.id }, { config: this.secrets.sealed(row.config, row.id) });
    }
    return clear.map((row) => row.id);
  }

  private opened(row: ForwardDestinationEntity): ForwardDestinationEntity {
    return { ...row, config: this.secrets.opened(row.config, row.id) };
  }

  /** The destination and everything still waiting for it. */
  async deleteDestination(id: string, tx: Tx): Promise<void> {
    await this.outbox(tx).delete({ destinationId: id });
    await this.destinations(tx).delete({ id });
  }

  async cursor(tx?: Tx): Promise<number | undefined> {
    const row = await entityManager(this.db, tx)
      .getRepository(ForwardCursorEntity)
      .findOne({ where: { name: AUDIT_CURSOR } });
    return row?.lastSeq;
  }

  async setCursor(lastSeq: number, tx: Tx): Promise<void> {
    await entityManager(this.db, tx).getRepository(ForwardCursorEntity).save({ name: AUDIT_CURSOR, lastSeq });
  }

  async enqueue(rows: ForwardOutboxEntity[], tx: Tx): Promise<void> {
    if (rows.length === 0) return;
    await entityManager(this.db, tx)
      .createQueryBuilder()
      .insert()
      .into(ForwardOutboxEntity)
      // TypeORM cannot type a JSON column through its transformer; the rows match the entity.
      .values(rows as QueryDeepPartialEntity<ForwardOutboxEntity>[])
      .orIgnore()
      .execute();
  }

  /** Pending rows whose next attempt is due, oldest event first; of the given destinations only when named. */
  due(now: number, limit: number, destinationIds?: string[]): Promise<ForwardOutboxEntity[]> {
    return this.outbox().find({
      where: {
        state: 'pending',
        nextAttemptAt: LessThanOrEqual(now),
        ...(destinationIds ? { destinationId: In(destinationIds) } : {}),
      },
      order: { nextAttemptAt: 'ASC', createdAt: 'ASC', eventId: 'ASC' },
      take: limit,
    });
  }

  async delivered(destinationId: string, eventIds: string[], now: number, tx: Tx): Promise<void> {
    if (eventIds.length === 0) return;
    await this.outbox(tx).delete({ destinationId, eventId: In(eventIds) });
    await this.destinations(tx).increment({ id: destinationId }, 'deliveredCount', eventIds.length);
    await this.destinations(tx).update({ id: destinationId }, { lastDeliveredAt: now });
  }

  async reschedule(row: ForwardOutboxEntity, error: string, nextAttemptAt: number, tx: Tx): Promise<void> {
    await this.outbox(tx).update(
      { destinationId: row.destinationId, eventId: row.eventId },
      { attempts: row.attempts + 1, lastError: error, nextAttemptAt },
    );
  }

  async markDead(row: ForwardOutboxEntity, error: string, now: number, tx: Tx): Promise<void> {
    await this.outbox(tx).update(
      { destinationId: row.destinationId, eventId: row.eventId },
      { attempts: row.attempts + 1, lastError: error, state: 'dead', deadAt: now },
    );
    await this.destinations(tx).increment({ id: row.destinationId }, 'deadCount', 1);
  }

  /** Keeps the newest `keep` dead letters of a destination (the count on the destination stays). */
  async pruneDead(destinationId: string, keep: number, tx: Tx): Promise<void> {
    const stale = await this.outbox(tx).find({
      select: { eventId: true },
      where: { destinationId, state: 'dead' },
      order: { deadAt: 'DESC', eventId: 'DESC' },
      skip: keep,
      take: 1_000,
    });
    if (stale.length > 0)
      await this.outbox(tx).delete({ destinationId, state: 'dead', eventId: In(stale.map((r) => r.eventId)) });
  }

  deadLetters(destinationId: string, limit: number): Promise<ForwardOutboxEntity[]> {
    return this.outbox().find({
      where: { destinationId, state: 'dead' },
      order: { deadAt: 'DESC', eventId: 'DESC' },
      take: limit,
    });
  }

  countPending(destinationId: string): Promise<number> {
    return this.outbox().count({ where: { destinationId, state: 'pending' } });
  }
}
