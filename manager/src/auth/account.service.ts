// The accounts auth/ stores, as other features may use them: users/ manages them for
// admins through this service and never through auth's repositories. It holds no
// decision of its own (who may be created or disabled is decided in users/); it
// keeps the account's storage in one place, so that disabling an account also ends
// its sessions.
import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transaction.runner';
import { SessionRepository } from './session.repository';
import type { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

@Injectable()
export class AccountService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
  ) {}

  list(): Promise<UserEntity[]> {
    return this.users.list();
  }

  findById(id: string, tx?: Tx): Promise<UserEntity | null> {
    return this.users.findById(id, tx);
  }

  findByUsername(username: string, tx?: Tx): Promise<UserEntity | null> {
    return this.users.findByUsername(username, tx);
  }

  async usernameTaken(username: string, tx?: Tx): Promise<boolean> {
    return (await this.users.findByUsername(username, tx)) !== null;
  }

  countActiveAdmins(tx?: Tx): Promise<number> {
    return this.users.countActiveAdmins(tx);
  }

  create(user: UserEntity, tx: Tx): Promise<void> {
    return this.users.insert(user, tx);
  }

  /** Marks the account disabled at `at` and ends its sessions; returns how many sessions ended. */
  async disable(id: string, at: number, tx: Tx): Promise<number> {
    await this.users.update(id, { disabledAt: at }, tx);
    return this.sessions.deleteForUser(id, tx);
  }
}
