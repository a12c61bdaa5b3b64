// The clear name of the person at the workstation now, for events that carry no user of
// their own (a USB stick plugged in, files written to it). Read from the open sessions
// the logins collector reads (utmp on Linux) by the one rule of active-session.ts: the
// local graphical session first, else a local console, the newest first; remote sessions
// never. Events ask synchronously (emit must not wait), so the answer is what the last
// read saw: refreshed every `refreshMs` (the agent uses the logins collector's session
// poll interval, 15 s by default; a utmp read costs well under a millisecond).
// A session opened less than that before a device appears may still be unseen; an
// unreadable or slow source keeps the last answer and counts the failure.
import { activeSession } from '../collectors/logins/sessions/active-session';
import type { SessionProvider } from '../collectors/logins/sessions/utmp-sessions';
import { PollTimer, timedPoll, type PollLog, type PollStats } from '../collectors/poll-loop';

export const REFRESH_MS = 10_000;

/** Who is at the workstation, as last read: a clear account name, '' when nobody (or unknown). */
export interface SessionUserSource {
  current(): string;
}

export class ActiveSessionUser implements SessionUserSource {
  readonly stats: PollStats = { polls: 0, pollErrors: 0, lastPollMs: 0 };
  private user = '';
  private stopped = false;
  private readonly timer: PollTimer;

  constructor(
    private readonly sessions: SessionProvider,
    private readonly options: { refreshMs?: number; log?: PollLog } = {},
  ) {
    this.timer = new PollTimer(options.refreshMs ?? REFRESH_MS, () => this.refresh());
  }

  current(): string {
    return this.user;
  }

  /** Reads the open sessions once; on failure the last answer stays. */
  refresh(): Promise<void> {
    // The first failure and then every 100th: visible without a line every refresh.
    const log: PollLog = (level, message) => {
      if (this.stats.pollErrors === 1 || this.stats.pollErrors % 100 === 0) this.options.log?.(level, message);
    };
    return timedPoll(this.stats, 'reading the active session', log, async () => {
      this.user = activeSession(await this.sessions())?.user ?? '';
    });
  }

  /** A first read, then one every `refreshMs`. */
  async start(): Promise<void> {
    await this.refresh();
    if (!this.stopped) this.timer.start();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.timer.stop();
  }
}
