// Storage of commands. Every state change is a conditional update (from the states it
// may leave), so two replicas, or a result racing the expiry job, cannot both win.
import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThan, type QueryDeepPartialEntity } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { CommandEntity, type CommandState } from './command.entity';

/** The sort key of the command list: issue time, then id (newest first). */
export type CommandKey = [issuedAt: number, id: string];

export interface CommandFilter {
  agentId?: string;
  state?: CommandState;
}

export type CommandChanges = Partial<Omit<CommandEntity, 'id' | 'agentId'>>;

@Injectable()
export class CommandRepository {
  constructor(private readonly db: DataSource) {}

  async insert(command: CommandEntity, tx: Tx): Promise<void> {
    await entityManager(this.db, tx).createQueryBuilder().insert().into(CommandEntity).values(row(command)).execute();
  }

  findById(id: string, tx?: Tx): Promise<CommandEntity | null> {
    return entityManager(this.db, tx).getRepository(CommandEntity).findOne({ where: { id } });
  }

  /** Queued and sent commands of one agent not yet expired, oldest first, at most `limit`. */
  undeliveredFor(agentId: string, now: number, limit: number): Promise<CommandEntity[]> {
    return this.db
      .getRepository(CommandEntity)
      .createQueryBuilder('c')
      .where('c.agentId = :agentId AND c.state IN (:...states) AND c.expiresAt > :now', {
        agentId,
        states: ['queued', 'sent'],
        now,
      })
      .orderBy('c.issuedAt', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Queued commands whose time ran out, oldest first, at most `limit`. */
  expiredQueued(now: number, limit: number): Promise<CommandEntity[]> {
    return this.db
      .getRepository(CommandEntity)
      .find({ where: { state: 'queued', expiresAt: LessThan(now) }, order: { expiresAt: 'ASC' }, take: limit });
  }

  /** Applies `changes` when the command is this agent's and in one of `from`; false when it was not. */
  async transition(
    id: string,
    agentId: string,
    from: CommandState[],
    changes: CommandChanges,
    tx?: Tx,
  ): Promise<boolean> {
    const result = await entityManager(this.db, tx)
      .getRepository(CommandEntity)
      .update({ id, agentId, state: In(from) }, row(changes));
    return (result.affected ?? 0) > 0;
  }

  /** Newest first, after `after` when given; `limit + 1` rows at most so the caller sees whether more follow. */
  page(filter: CommandFilter, limit: number, after?: CommandKey): Promise<CommandEntity[]> {
    const qb = this.db.getRepository(CommandEntity).createQueryBuilder('c').where('1 = 1');
    if (filter.agentId !== undefined) qb.andWhere('c.agentId = :agentId', { agentId: filter.agentId });
    if (filter.state !== undefined) qb.andWhere('c.state = :state', { state: filter.state });
    if (after) qb.andWhere('(c.issuedAt < :t OR (c.issuedAt = :t AND c.id < :id))', { t: after[0], id: after[1] });
    return qb
      .orderBy('c.issuedAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(limit + 1)
      .getMany();
  }
}

/** The JSON columns hold plain objects, which TypeORM's deep-partial type does not see through. */
function row(values: CommandChanges): QueryDeepPartialEntity<CommandEntity> {
  return values as QueryDeepPartialEntity<CommandEntity>;
}
