// Break-glass and maintenance mode as bounded periods: each ends by itself at its
// `until` (a timer, or at start when it ran out while the agent was down) or when
// ended at the workstation; the caller hears of every end (it sends a LocalAction).
import type { BreakGlassView, MaintenanceView } from '@wardwatch/shared/agent';
import type { GuardSituation } from './guard-rules';
import type { GuardStateStore } from './guard-state-store';
import { clampDelay } from '../timer-delay';

export type PeriodKind = 'breakGlass' | 'maintenance';

export interface PeriodEnded {
  which: PeriodKind;
  why: string;
  since: number;
  /** The period's own end when it ran out (also while the agent was down), else now. */
  endedAt: number;
}

export class GuardPeriods {
  private timers: Partial<Record<PeriodKind, NodeJS.Timeout>> = {};

  constructor(
    private readonly store: GuardStateStore,
    private readonly now: () => number,
    private readonly onEnded: (ended: PeriodEnded) => void,
  ) {}

  /** (Re)arms the end timers; ends at once what has already run out. */
  arm(): void {
    const state = this.store.get();
    for (const which of ['breakGlass', 'maintenance'] as const) {
      this.clear(which);
      const period = state[which];
      if (!period) continue;
      const left = period.until - this.now();
      if (left <= 0) {
        this.end(which, 'its time ran out');
        continue;
      }
      const timer = setTimeout(() => this.end(which, 'its time ran out'), clampDelay(left));
      timer.unref?.();
      this.timers[which] = timer;
    }
  }

  end(which: PeriodKind, why: string): void {
    this.clear(which);
    const period = this.store.get()[which];
    if (!period) return;
    const now = this.now();
    this.store.update((s) => ({ ...s, [which]: null }), now);
    this.onEnded({ which, why, since: period.since, endedAt: Math.min(now, period.until) });
  }

  stop(): void {
    this.clear('breakGlass');
    this.clear('maintenance');
  }

  situation(): GuardSituation {
    const { breakGlass, maintenance } = this.store.get();
    const now = this.now();
    return {
      breakGlassSince: breakGlass && breakGlass.until > now ? breakGlass.since : null,
      maintenance: maintenance !== null && maintenance.until > now,
    };
  }

  breakGlassView(): BreakGlassView {
    const period = this.store.get().breakGlass;
    return period
      ? { active: true, reason: period.reason, since: period.since, until: period.until }
      : { active: false, reason: null, since: null, until: null };
  }

  maintenanceView(): MaintenanceView {
    const period = this.store.get().maintenance;
    return period
      ? { active: true, reason: period.reason, until: period.until }
      : { active: false, reason: null, until: null };
  }

  private clear(which: PeriodKind): void {
    const timer = this.timers[which];
    if (timer) clearTimeout(timer);
    delete this.timers[which];
  }
}
