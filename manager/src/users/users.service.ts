// Accounts on the manager: an admin creates one with a role and gets a one-time
// password to hand over (the user must replace it at first sign-in), lists them,
// disables one, changes its role or signs it out everywhere: each of those three ends
// all its sessions at once and closes their live streams (after the commit). Every
// change is audited in the same transaction as the change itself. Granting admin or
// privacy officer waits for a second admin (role-grants.service.ts), unless the site
// runs as a single-person site (WARDWATCH_SINGLE_PERSON_SITE): then the grant is
// audited with its reason.
import { Injectable } from '@nestjs/common';
import {
  isPrivilegedRole,
  type CreatedUser,
  type CreateUserRequest,
  type DutyRequestView,
  type SessionsEnded,
  type UserRole,
  type UserView,
} from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../auth/password.hasher';
import { AccountService } from '../auth/account.service';
import type { UserEntity } from '../auth/user.entity';
import { Clock, RandomSource } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { DutyRequestService, dutyRequestView } from '../duty-requests/duty-request.service';
import { UserError } from './user.errors';

export function userView(user: UserEntity): UserView {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    status: user.disabledAt === null ? 'active' : 'disabled',
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt,
    disabledAt: user.disabledAt,
  };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly accounts: AccountService,
    private readonly transactions: TransactionRunner,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly duties: DutyRequestService,
  ) {}

  async list(): Promise<UserView[]> {
    const users = await this.accounts.list();
    return users.map(userView);
  }

  /**
   * An account for a privileged role is created disabled, with a pending grant: it can
   * sign in once a second admin approves (a single-person site: at once, with a reason).
   */
  async create(request: CreateUserRequest, actor: string): Promise<CreatedUser> {
    // 120 random bits, typeable: the admin reads it out or hands it over once.
    const oneTimePassword = this.random.bytes(15).toString('base64url');
    const passwordHash = await this.hasher.hash(oneTimePassword);
    const now = this.clock.now();
    const waits = this.needsSecondAdmin(request.role);
    const user: UserEntity = {
      id: this.random.uuid(),
      username: request.username,
      passwordHash,
      role: request.role,
      createdAt: now,
      // Disabled at its creation: role-grants.service.ts enables only such an account.
      disabledAt: waits ? now : null,
      mustChangePassword: true,
    };
    const pendingGrantId = await this.transactions.run(async (tx) => {
      if (await this.accounts.usernameTaken(request.username, tx))
        throw new UserError('invalid_input', `the username "${request.username}" is taken`);
      await this.accounts.create(user, tx);
      await this.audit.append(
        {
          actor,
          action: 'user.create',
          target: user.username,
          details: { role: user.role, id: user.id, ...this.grantNote(request.role, request.reason, waits) },
        },
        tx,
      );
      if (!waits) return undefined;
      const grant = await this.duties.open(
        {
          requestedBy: actor,
          excludedApprover: user.username,
          details: {
            kind: 'role_grant',
            userId: user.id,
            username: user.username,
            from: null,
            to: user.role,
            reason: request.reason ?? null,
          },
          binding: null,
          target: user.username,
        },
        tx,
      );
      return grant.id;
    });
    return { user: userView(user), oneTimePassword, ...(pendingGrantId ? { pendingGrantId } : {}) };
  }

  async disable(id: string, actor: string): Promise<UserView> {
    let ended = false;
    const view = await this.transactions.run(async (tx) => {
      ended = false; // the runner may run this again after a refused transaction
      const user = await this.accounts.findById(id, tx);
      if (!user) throw new UserError('not_found', 'no such user');
      if (user.username === actor) throw new UserError('invalid_input', 'you cannot disable your own account');
      if (user.disabledAt !== null) return userView(user);
      if (user.role === 'admin' && (await this.accounts.countActiveAdmins(tx)) <= 1) {
        throw new UserError('invalid_input', 'this is the last active admin; create another admin first');
      }
      user.disabledAt = this.clock.now();
      const sessionsEnded = await this.accounts.disable(id, user.disabledAt, tx);
      ended = true;
      await this.audit.append(
        { actor, action: 'user.disable', target: user.username, details: { id, role: user.role, sessionsEnded } },
        tx,
      );
      return userView(user);
    });
    if (ended) this.accounts.sessionsEnded(id, 'disabled');
    return view;
  }

  /**
   * A new role takes effect at the next sign-in: every session of the account ends now.
   * Admin or privacy officer: a pending grant instead, until a second admin approves.
   */
  async changeRole(
    id: string,
    role: UserRole,
    actor: string,
    reason?: string,
  ): Promise<{ user: UserView } | { pending: DutyRequestView }> {
    let ended = false;
    const outcome = await this.transactions.run(
      async (tx): Promise<{ user: UserView } | { pending: DutyRequestView }> => {
        ended = false;
        const user = await this.accounts.findById(id, tx);
        if (!user) throw new UserError('not_found', 'no such user');
        if (user.username === actor) throw new UserError('invalid_input', 'you cannot change your own role');
        if (user.role === role) return { user: userView(user) };
        if (user.role === 'admin' && user.disabledAt === null && (await this.accounts.countActiveAdmins(tx)) <= 1) {
          throw new UserError('invalid_input', 'this is the last active admin; create another admin first');
        }
        const waits = this.needsSecondAdmin(role);
        if (waits) {
          const grant = await this.duties.open(
            {
              requestedBy: actor,
              excludedApprover: user.username,
              details: {
                kind: 'role_grant',
                userId: id,
                username: user.username,
                from: user.role,
                to: role,
                reason: reason ?? null,
              },
              binding: null,
              target: user.username,
            },
            tx,
          );
          return { pending: dutyRequestView(grant) };
        }
        const sessionsEnded = await this.accounts.changeRole(id, role, tx);
        ended = true;
        await this.audit.append(
          {
            actor,
            action: 'user.role_change',
            target: user.username,
            details: { id, from: user.role, to: role, sessionsEnded, ...this.grantNote(role, reason, false) },
          },
          tx,
        );
        return { user: userView({ ...user, role }) };
      },
    );
    if (ended) this.accounts.sessionsEnded(id, 'role_change');
    return outcome;
  }

  private needsSecondAdmin(role: UserRole): boolean {
    return isPrivilegedRole(role) && this.duties.singlePersonReason === undefined;
  }

  /** What the audit record says about the second person: pending, or why none was needed. */
  private grantNote(role: UserRole, reason: string | undefined, waits: boolean): Record<string, unknown> {
    if (!isPrivilegedRole(role)) return {};
    if (waits) return { pendingApproval: true };
    return { singlePersonSite: true, reason: reason ?? this.duties.singlePersonReason };
  }

  /** "Sign out everywhere": ends every session of the account (the admin's own included, if it is theirs). */
  async signOutEverywhere(id: string, actor: string): Promise<SessionsEnded> {
    const sessionsEnded = await this.transactions.run(async (tx) => {
      const user = await this.accounts.findById(id, tx);
      if (!user) throw new UserError('not_found', 'no such user');
      const count = await this.accounts.endSessions(id, tx);
      await this.audit.append(
        { actor, action: 'user.sign_out_everywhere', target: user.username, details: { id, sessionsEnded: count } },
        tx,
      );
      return count;
    });
    this.accounts.sessionsEnded(id, 'signed_out_everywhere');
    return { sessionsEnded };
  }
}
