// The health of each part of the agent that can fail on its own: every collector
// (`collector.files`), the local API (`local-api`) and local scoring (`scoring`).
// The parts report into it; heartbeats carry it to the manager and the local API
// shows it to the tray, so a part that could not start is seen, not just logged.
import type { ComponentHealth } from '@wardwatch/proto';

export type ComponentState = 'running' | 'failed' | 'stopped';

/** The manager keeps no more than this; an honest agent has a handful. */
export const MAX_COMPONENTS = 32;
export const COMPONENT_NAME_MAX = 64;
export const COMPONENT_MESSAGE_MAX = 256;

/** What a part needs to say how it is: the registry, or anything standing in for it. */
export interface HealthReporter {
  report(name: string, state: ComponentState, message?: string): void;
}

export class ComponentHealthRegistry implements HealthReporter {
  private readonly components = new Map<string, ComponentHealth>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * `sinceMs` is when the state last changed: the same state reported again (a retry
   * that fails again) keeps it, so "failed since 10:02" stays true. A running part
   * carries no message.
   */
  report(name: string, state: ComponentState, message = ''): void {
    const key = cut(name, COMPONENT_NAME_MAX);
    const previous = this.components.get(key);
    if (!previous && this.components.size >= MAX_COMPONENTS) return;
    const sinceMs = previous?.state === state ? previous.sinceMs : this.now();
    this.components.set(key, {
      name: key,
      state,
      message: state === 'running' ? '' : cut(message, COMPONENT_MESSAGE_MAX),
      sinceMs,
    });
  }

  /** Every part in the order it first reported. */
  list(): ComponentHealth[] {
    return [...this.components.values()].map((c) => ({ ...c }));
  }

  failed(): ComponentHealth[] {
    return this.list().filter((c) => c.state === 'failed');
  }
}

/** At most `max` characters, the last one `…` when cut. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
