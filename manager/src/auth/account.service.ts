// The accounts auth/ stores, as other features may use them: users/ manages them for
// admins through this service and never through auth's repositories. It holds no
// decision of its own (who may be created or disabled is decided in users/); it
// keeps the account's storage in one place, so that disabling an account or changing
// its role also ends its sessions (SessionService: deleted in the caller's transaction,
// streams closed by `sessionsEnded` once it committed).
import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transaction.runner';
import type { SessionEndReason } from './session-revocations';
import { SessionService } from './session.service';
import type { UserEntity, UserRole } from './user.entity';
import { UserRepository } from './user.repository';

@Injectable()
export class AccountService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionService,
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
    return this.sessions.endAllOf(id, tx);
  }

  /** Lets a disabled account sign in again (an account created for a role a second admin has now approved). */
  async enable(id: string, tx: Tx): Promise<void> {
    await this.users.update(id, { disabledAt: null }, tx);
  }

  /** Gives the account another role and ends its sessions; returns how many ended. */
  async changeRole(id: string, role: UserRole, tx: Tx): Promise<number> {
    await this.users.update(id, { role }, tx);
    return this.sessions.endAllOf(id, tx);
  }

  /** Ends every session of the account ("sign out everywhere"); returns how many ended. */
  endSessions(id: string, tx: Tx): Promise<number> {
    return this.sessions.endAllOf(id, tx);
  }

  /** After the transaction that ended them committed: closes those sessions' open streams. */
  sessionsEnded(id: string, reason: SessionEndReason): void {
    this.sessions.announceEnded(id, reason);
  }
}
