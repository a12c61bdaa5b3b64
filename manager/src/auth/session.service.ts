// Dashboard sessions from sign-in to their end. A session is a random token (only its
// sha256 is stored) that ends at the first of: sign-out, its user's sessions being ended
// (disable, role change, password change, "sign out everywhere"), no activity for the
// idle timeout, or the absolute lifetime after sign-in.
//
// Invariants:
// - A lapsed session is refused the moment it lapses (checked on every request against
//   the stored times); it is deleted when found lapsed and swept at each sign-in.
// - Last use is written at most once a minute per session (TOUCH_EVERY_MS), not per
//   request; so the idle timeout may end a session up to a minute early, never late.
// - Ending sessions is a delete inside the caller's transaction; the notice that closes
//   open streams (SessionRevocations) goes out only after that transaction committed.
// - An open stream is also re-checked at the session's next deadline and at least every
//   STREAM_RECHECK_MS, so a stream never outlives its session by more than that even
//   when no notice reaches it.
import { Inject, Injectable } from '@nestjs/common';
import type { CurrentUser } from '@wardwatch/shared';
import { Observable, merge, take } from 'rxjs';
import { Clock, RandomSource } from '../common/clock';
import { sha256Hex } from '../common/hash';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import type { Tx } from '../database/transaction.runner';
import { currentUser } from './current-user';
import type { SessionEntity } from './session.entity';
import { SessionRepository } from './session.repository';
import { SessionRevocations, type SessionEndReason, type SessionRef } from './session-revocations';
import { UserRepository } from './user.repository';

export const TOUCH_EVERY_MS = 60_000;
export const STREAM_RECHECK_MS = 60_000;

export interface StartedSession {
  token: string;
  expiresAt: number;
}

export interface ActiveSession extends SessionRef {
  user: CurrentUser;
}

@Injectable()
export class SessionService {
  constructor(
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'sessions'>,
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly revocations: SessionRevocations,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /** A new session for a user who just proved who they are. */
  async start(userId: string): Promise<StartedSession> {
    const token = this.random.token('wws_');
    const now = this.clock.now();
    const expiresAt = now + this.config.sessions.maxLifetimeMs;
    await this.sessions.insert({ tokenHash: sha256Hex(token), userId, createdAt: now, expiresAt, lastSeenAt: now });
    await this.sessions.deleteExpired(now, now - this.config.sessions.idleTimeoutMs);
    return { token, expiresAt };
  }

  /**
   * The session and its user, or undefined when it is unknown, lapsed or its user disabled.
   * `activity: false` (the dashboard's automatic refreshes) checks without counting as use,
   * so a screen left open still goes idle.
   */
  async resolve(token: string, activity = true): Promise<ActiveSession | undefined> {
    const tokenHash = sha256Hex(token);
    const session = await this.sessions.findByTokenHash(tokenHash);
    if (!session) return undefined;
    const now = this.clock.now();
    const lapsed = this.lapse(session, now);
    if (lapsed) {
      if (await this.sessions.deleteByTokenHash(tokenHash)) this.revocations.announce({ tokenHash, reason: lapsed });
      return undefined;
    }
    const user = await this.users.findById(session.userId);
    if (!user || user.disabledAt !== null) return undefined;
    if (activity && now - lastSeen(session) >= TOUCH_EVERY_MS) await this.sessions.touch(tokenHash, now);
    return { tokenHash, userId: session.userId, user: currentUser(user) };
  }

  /** Sign-out of one session; its open streams close. */
  async end(token: string): Promise<void> {
    const tokenHash = sha256Hex(token);
    if (await this.sessions.deleteByTokenHash(tokenHash)) this.revocations.announce({ tokenHash, reason: 'sign_out' });
  }

  /**
   * Deletes every session of the user (but `keepTokenHash`) in the caller's transaction;
   * call `announceEnded` once it committed. Returns how many ended.
   */
  endAllOf(userId: string, tx: Tx, keepTokenHash?: string): Promise<number> {
    return this.sessions.deleteForUser(userId, tx, keepTokenHash);
  }

  /** Closes the open streams of sessions `endAllOf` ended. */
  announceEnded(userId: string, reason: SessionEndReason, keepTokenHash?: string): void {
    this.revocations.announce({ userId, reason, keepTokenHash });
  }

  /**
   * Emits once when the session ends: at a notice, or when a re-check at its next deadline
   * (idle or absolute, at most STREAM_RECHECK_MS away) finds it gone or lapsed. A stream
   * does not count as activity: an unattended screen still goes idle.
   */
  endOf(session: SessionRef): Observable<SessionEndReason> {
    return merge(this.revocations.endOf(session), this.lapses(session)).pipe(take(1));
  }

  private lapses(ref: SessionRef): Observable<SessionEndReason> {
    return new Observable<SessionEndReason>((subscriber) => {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const schedule = (waitMs: number) => {
        if (stopped) return;
        timer = setTimeout(() => void check(), Math.min(Math.max(waitMs, 1_000), STREAM_RECHECK_MS));
        timer.unref();
      };
      const check = async () => {
        try {
          const session = await this.sessions.findByTokenHash(ref.tokenHash);
          const now = this.clock.now();
          const lapsed = session ? this.lapse(session, now) : 'sign_out';
          if (lapsed) {
            subscriber.next(lapsed);
            subscriber.complete();
            return;
          }
          schedule(this.deadline(session as SessionEntity) - now);
        } catch {
          schedule(STREAM_RECHECK_MS); // the database did not answer: keep the stream, look again
        }
      };
      schedule(0); // a first look soon: the deadline is not known yet
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    });
  }

  private lapse(session: SessionEntity, now: number): SessionEndReason | undefined {
    if (now >= this.absoluteEnd(session)) return 'expired';
    if (now - lastSeen(session) >= this.config.sessions.idleTimeoutMs) return 'idle';
    return undefined;
  }

  private absoluteEnd(session: SessionEntity): number {
    // The lifetime configured now applies to sessions opened before a change too.
    return Math.min(session.expiresAt, session.createdAt + this.config.sessions.maxLifetimeMs);
  }

  private deadline(session: SessionEntity): number {
    return Math.min(this.absoluteEnd(session), lastSeen(session) + this.config.sessions.idleTimeoutMs);
  }
}

function lastSeen(session: SessionEntity): number {
  return session.lastSeenAt ?? session.createdAt;
}
