// Storage of user accounts. Every method takes the caller's transaction when the
// read or write must commit together with an audit row.
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { entityManager, type Tx } from '../database/transaction.runner';
import { UserEntity } from './user.entity';

export type UserChanges = Partial<Pick<UserEntity, 'passwordHash' | 'mustChangePassword' | 'disabledAt' | 'role'>>;

@Injectable()
export class UserRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(UserEntity);
  }

  count(tx?: Tx): Promise<number> {
    return this.repo(tx).count();
  }

  list(): Promise<UserEntity[]> {
    return this.repo().find({ order: { createdAt: 'ASC', username: 'ASC' } });
  }

  findById(id: string, tx?: Tx): Promise<UserEntity | null> {
    return this.repo(tx).findOneBy({ id });
  }

  findByUsername(username: string, tx?: Tx): Promise<UserEntity | null> {
    return this.repo(tx).findOneBy({ username });
  }

  countActiveAdmins(tx?: Tx): Promise<number> {
    return this.repo(tx).countBy({ role: 'admin', disabledAt: IsNull() });
  }

  async insert(user: UserEntity, tx?: Tx): Promise<void> {
    await this.repo(tx).insert(user);
  }

  async update(id: string, changes: UserChanges, tx?: Tx): Promise<void> {
    await this.repo(tx).update({ id }, changes);
  }
}
