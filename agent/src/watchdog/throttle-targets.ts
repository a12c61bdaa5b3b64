// What the watchdog turns down: the budget's low class and the polling hook.
import type { EventBudget } from '../outbox/event-budget';
import type { LoadSignal } from './load-signal';
import type { ThrottleTarget } from './watchdog';

export function lowBudgetTarget(budget: EventBudget, factor: number): ThrottleTarget {
  return { setThrottled: (on) => budget.setLowFactor(on ? factor : 1) };
}

export function loadSignalTarget(signal: LoadSignal): ThrottleTarget {
  return { setThrottled: (on) => signal.set(on) };
}
