// What the agent knows about itself, for the local API (tray) and heartbeats.
// Components report into it; nothing here decides anything.
import type { AgentStatus } from '@wardwatch/shared';
import type { OutboxStats } from '../outbox/outbox';
import type { WatchdogState } from '../watchdog/watchdog';

export type CollectorState = AgentStatus['collectors'][number]['state'];

export interface StatusTrackerOptions {
  version: string;
  managerAddress: string;
  outboxStats(): OutboxStats;
  watchdog?: () => WatchdogState;
  certificate?: () => NonNullable<AgentStatus['certificate']>;
  now?: () => number;
}

export class StatusTracker {
  private agentId: string | null = null;
  private connected = false;
  private lastConnectedAt: number | null = null;
  private lastError: string | null = null;
  private lastEventAt: number | null = null;
  private collected = 0;
  private readonly collectors = new Map<string, { state: CollectorState; error: string | null }>();
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(private readonly options: StatusTrackerOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  setAgentId(agentId: string): void {
    this.agentId = agentId;
  }

  connectedToManager(): void {
    this.connected = true;
    this.lastConnectedAt = this.now();
    this.lastError = null;
  }

  disconnectedFromManager(error: string): void {
    this.connected = false;
    this.lastError = error;
  }

  eventCollected(): void {
    this.collected += 1;
    this.lastEventAt = this.now();
  }

  collector(name: string, state: CollectorState, error: string | null = null): void {
    this.collectors.set(name, { state, error });
  }

  snapshot(): AgentStatus {
    const outbox = this.options.outboxStats();
    return {
      agentId: this.agentId,
      version: this.options.version,
      manager: {
        address: this.options.managerAddress,
        connected: this.connected,
        lastConnectedAt: this.lastConnectedAt,
        lastError: this.lastError,
      },
      lastEventAt: this.lastEventAt,
      counts: {
        collected: this.collected,
        sent: outbox.sent,
        queued: outbox.queued,
        dropped: outbox.dropped,
        droppedByReason: outbox.droppedByReason,
      },
      collectors: [...this.collectors].map(([name, c]) => ({ name, state: c.state, error: c.error })),
      startedAt: this.startedAt,
      ...(this.options.watchdog ? { watchdog: watchdogView(this.options.watchdog()) } : {}),
      ...(this.options.certificate ? { certificate: this.options.certificate() } : {}),
    };
  }
}

function watchdogView(state: WatchdogState): NonNullable<AgentStatus['watchdog']> {
  return {
    throttled: state.throttled,
    reason: state.reason,
    since: state.since,
    cpuPercent: state.last?.cpuPercent ?? null,
    rssBytes: state.last?.rssBytes ?? null,
  };
}
