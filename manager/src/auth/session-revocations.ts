// The one place that says "these sessions have ended", for whatever holds a response open
// on them (the dashboard's live event stream): it subscribes to its session's end and
// closes at once, instead of at its next write or never. Announced only after the change
// that ended them committed, so a client that reconnects at once is refused.
import { Injectable } from '@nestjs/common';
import { filter, map, Subject, take, type Observable } from 'rxjs';

export type SessionEndReason =
  'sign_out' | 'signed_out_everywhere' | 'disabled' | 'role_change' | 'password_change' | 'idle' | 'expired';

/** Which sessions ended: one (by the hash of its token), or all of a user's but perhaps one kept. */
export type SessionsEndedNotice =
  | { tokenHash: string; reason: SessionEndReason }
  | { userId: string; keepTokenHash?: string; reason: SessionEndReason };

export interface SessionRef {
  tokenHash: string;
  userId: string;
}

@Injectable()
export class SessionRevocations {
  private readonly notices = new Subject<SessionsEndedNotice>();

  announce(notice: SessionsEndedNotice): void {
    this.notices.next(notice);
  }

  /** Emits the reason once, when a notice covers this session. */
  endOf(session: SessionRef): Observable<SessionEndReason> {
    return this.notices.pipe(
      filter((notice) => covers(notice, session)),
      map((notice) => notice.reason),
      take(1),
    );
  }
}

function covers(notice: SessionsEndedNotice, session: SessionRef): boolean {
  if ('tokenHash' in notice) return notice.tokenHash === session.tokenHash;
  return notice.userId === session.userId && notice.keepTokenHash !== session.tokenHash;
}
