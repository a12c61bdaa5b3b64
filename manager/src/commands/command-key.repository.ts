// Storage of the manager's command keys (public part and sealed private part).
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { CommandKeyEntity } from './command-key.entity';

@Injectable()
export class CommandKeyRepository {
  constructor(private readonly db: DataSource) {}

  /** Keys not retired, newest first. */
  active(tx?: Tx): Promise<CommandKeyEntity[]> {
    return entityManager(this.db, tx)
      .getRepository(CommandKeyEntity)
      .find({ where: { retiredAt: IsNull() }, order: { createdAt: 'DESC', keyId: 'DESC' } });
  }

  async insert(key: CommandKeyEntity, tx?: Tx): Promise<void> {
    await entityManager(this.db, tx).createQueryBuilder().insert().into(CommandKeyEntity).values(key).execute();
  }

  async retire(keyIds: string[], at: number, tx?: Tx): Promise<void> {
    if (keyIds.length === 0) return;
    await entityManager(this.db, tx)
      .getRepository(CommandKeyEntity)
      .update({ keyId: In(keyIds), retiredAt: IsNull() }, { retiredAt: at });
  }
}
