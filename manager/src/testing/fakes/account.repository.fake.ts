// In-memory UserRepository and SessionRepository for unit tests.
import type { SessionEntity } from '../../auth/session.entity';
import type { SessionRepository } from '../../auth/session.repository';
import type { UserEntity } from '../../auth/user.entity';
import type { UserChanges, UserRepository } from '../../auth/user.repository';
import { InMemoryTable, type Public } from './fakes';

export class InMemoryUserRepository extends InMemoryTable<UserEntity> implements Public<UserRepository> {
  count(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }
  list(): Promise<UserEntity[]> {
    return Promise.resolve(
      [...this.rows].sort((a, b) => a.createdAt - b.createdAt || (a.username < b.username ? -1 : 1)),
    );
  }
  findById(id: string): Promise<UserEntity | null> {
    return Promise.resolve(copy(this.rows.find((u) => u.id === id)));
  }
  findByUsername(username: string): Promise<UserEntity | null> {
    return Promise.resolve(copy(this.rows.find((u) => u.username === username)));
  }
  countActiveAdmins(): Promise<number> {
    return Promise.resolve(this.rows.filter((u) => u.role === 'admin' && u.disabledAt === null).length);
  }
  insert(user: UserEntity): Promise<void> {
    if (this.rows.some((u) => u.id === user.id || u.username === user.username))
      return Promise.reject(new Error('duplicate key'));
    this.rows.push({ ...user });
    return Promise.resolve();
  }
  update(id: string, changes: UserChanges): Promise<void> {
    const user = this.rows.find((u) => u.id === id);
    if (user) Object.assign(user, changes);
    return Promise.resolve();
  }
}

export class InMemorySessionRepository extends InMemoryTable<SessionEntity> implements Public<SessionRepository> {
  insert(session: SessionEntity): Promise<void> {
    this.rows.push({ ...session });
    return Promise.resolve();
  }
  findByTokenHash(tokenHash: string): Promise<SessionEntity | null> {
    return Promise.resolve(copy(this.rows.find((s) => s.tokenHash === tokenHash)));
  }
  deleteByTokenHash(tokenHash: string): Promise<boolean> {
    const before = this.rows.length;
    this.rows = this.rows.filter((s) => s.tokenHash !== tokenHash);
    return Promise.resolve(this.rows.length < before);
  }
  touch(tokenHash: string, lastSeenAt: number): Promise<void> {
    const session = this.rows.find((s) => s.tokenHash === tokenHash);
    if (session) session.lastSeenAt = lastSeenAt;
    return Promise.resolve();
  }
  deleteExpired(now: number, seenBefore = 0): Promise<void> {
    this.rows = this.rows.filter((s) => s.expiresAt >= now && (s.lastSeenAt === null || s.lastSeenAt >= seenBefore));
    return Promise.resolve();
  }
  deleteForUser(userId: string, _tx?: unknown, keepTokenHash?: string): Promise<number> {
    const before = this.rows.length;
    this.rows = this.rows.filter((s) => s.userId !== userId || s.tokenHash === keepTokenHash);
    return Promise.resolve(before - this.rows.length);
  }
}

function copy<T extends object>(row: T | undefined): T | null {
  return row ? { ...row } : null;
}
