// A reversible action may carry an expiry (a blocked port, a disabled account):
// past it the action is undone on its own, and an undo that fails is tried again a
// minute later rather than at once, so a broken undo cannot spin. One timer, armed
// for whatever is due next.
import type { Logger } from '../logging/logger';
import type { ActionOutcome } from './actions/response-actions';
import { clampDelay } from './timer-delay';
import type { UndoStore } from './undo-store';

const UNDO_RETRY_MS = 60_000;

export class UndoExpiry {
  private readonly retryAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: UndoStore,
    private readonly undo: (commandId: string) => Promise<ActionOutcome>,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  /** Undoes every record past its expiry (unless waiting for its retry), then arms the timer. */
  async undoExpired(): Promise<void> {
    const now = this.now();
    for (const stored of this.store.expired(now)) {
      if ((this.retryAt.get(stored.commandId) ?? 0) > now) continue;
      const outcome = await this.undo(stored.commandId);
      if (!outcome.ok) {
        this.retryAt.set(stored.commandId, now + UNDO_RETRY_MS);
        this.log.warn('expired action could not be undone, retrying', { commandId: stored.commandId });
      }
    }
    this.schedule();
  }

  /** Arms the timer for the next record due: now for one past expiry, unless it waits for its retry. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.now();
    const times = this.store.all().flatMap((r) => {
      if (r.record.expiresAtMs === null) return [];
      if (r.record.expiresAtMs > now) return [r.record.expiresAtMs];
      return [this.retryAt.get(r.commandId) ?? now];
    });
    if (times.length === 0) return;
    this.timer = setTimeout(() => void this.undoExpired(), clampDelay(Math.min(...times) - now));
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
