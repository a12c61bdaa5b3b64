// Accounts on the manager: an admin creates one with a role and gets a one-time
// password to hand over (the user must replace it at first sign-in), lists them,
// and disables one (its sessions end at once). Every change is audited in the
// same transaction as the change itself.
import { Injectable } from '@nestjs/common';
import type { CreatedUser, CreateUserRequest, UserView } from '@wardwatch/shared';
import { DataSource, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../auth/password.hasher';
import { Clock, RandomSource } from '../common/clock';
import { DomainError } from '../common/errors';
import { SessionEntity, UserEntity } from '../database/entities';
import { inTransaction } from '../database/transaction';

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
    private readonly db: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async list(): Promise<UserView[]> {
    const users = await this.db.getRepository(UserEntity).find({ order: { createdAt: 'ASC', username: 'ASC' } });
    return users.map(userView);
  }

  async create(request: CreateUserRequest, actor: string): Promise<CreatedUser> {
    // 120 random bits, typeable: the admin reads it out or hands it over once.
    const oneTimePassword = this.random.bytes(15).toString('base64url');
    const passwordHash = await this.hasher.hash(oneTimePassword);
    const user: UserEntity = {
      id: this.random.uuid(),
      username: request.username,
      passwordHash,
      role: request.role,
      createdAt: this.clock.now(),
      disabledAt: null,
      mustChangePassword: true,
    };
    await inTransaction(this.db, async (tx) => {
      const repo = tx.getRepository(UserEntity);
      if (await repo.existsBy({ username: request.username }))
        throw new DomainError('invalid_input', `the username "${request.username}" is taken`);
      await repo.insert(user);
      await this.audit.append(
        { actor, action: 'user.create', target: user.username, details: { role: user.role, id: user.id } },
        tx,
      );
    });
    return { user: userView(user), oneTimePassword };
  }

  async disable(id: string, actor: string): Promise<UserView> {
    return inTransaction(this.db, async (tx) => {
      const repo = tx.getRepository(UserEntity);
      const user = await repo.findOneBy({ id });
      if (!user) throw new DomainError('not_found', 'no such user');
      if (user.username === actor) throw new DomainError('invalid_input', 'you cannot disable your own account');
      if (user.disabledAt !== null) return userView(user);
      if (user.role === 'admin' && (await repo.countBy({ role: 'admin', disabledAt: IsNull() })) <= 1) {
        throw new DomainError('invalid_input', 'this is the last active admin; create another admin first');
      }
      user.disabledAt = this.clock.now();
      await repo.update({ id }, { disabledAt: user.disabledAt });
      const ended = await tx.getRepository(SessionEntity).delete({ userId: id });
      await this.audit.append(
        {
          actor,
          action: 'user.disable',
          target: user.username,
          details: { id, role: user.role, sessionsEnded: ended.affected ?? 0 },
        },
        tx,
      );
      return userView(user);
    });
  }
}
