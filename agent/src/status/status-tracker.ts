// What the agent knows about itself, for the local API (tray) and heartbeats.
// Components report into it; nothing here decides anything.
import type { AgentStatus, ReadCounts } from '@wardwatch/shared/agent';
import type { OutboxStats } from '../outbox/outbox';
import type { WatchdogState } from '../watchdog/watchdog';
import { ComponentHealthRegistry, type ComponentState } from './component-health';

const COLLECTOR_PREFIX = 'collector.';

export interface StatusTrackerOptions {
  version: string;
  managerAddress: string;
  outboxStats(): OutboxStats;
  watchdog?: () => WatchdogState;
  certificate?: () => NonNullable<AgentStatus['certificate']>;
  /** Local scoring's counters (late events among them), when scoring is on. */
  scoring?: () => NonNullable<AgentStatus['scoring']>;
  /** Where collectors, the local API and scoring report their state. */
  health?: ComponentHealthRegistry;
  now?: () => number;
}

export class StatusTracker {
  private agentId: string | null = null;
  private connected = false;
  private lastConnectedAt: number | null = null;
  private lastError: string | null = null;
  private lastEventAt: number | null = null;
  private collected = 0;
  private reads: (() => ReadCounts) | null = null;
  private readonly now: () => number;
  private readonly startedAt: number;
  readonly health: ComponentHealthRegistry;

  constructor(private readonly options: StatusTrackerOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.health = options.health ?? new ComponentHealthRegistry(this.now);
  }

  setAgentId(agentId: string): void {
    this.agentId = agentId;
  }

  /** The reads collector's counts, once it is made (an agent without one reports none). */
  setReads(counts: () => ReadCounts): void {
    this.reads = counts;
  }

  /** The reads collector's counts now, for the heartbeat; undefined where reads are not audited. */
  readCounts(): ReadCounts | undefined {
    return this.reads?.();
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

  snapshot(): AgentStatus {
    const outbox = this.options.outboxStats();
    const components = this.health.list();
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
      // The older per-collector list, kept for trays that read only it.
      collectors: components
        .filter((c) => c.name.startsWith(COLLECTOR_PREFIX))
        .map((c) => ({
          name: c.name.slice(COLLECTOR_PREFIX.length),
          state: c.state as ComponentState,
          error: c.message === '' ? null : c.message,
        })),
      components: components.map((c) => ({ ...c, state: c.state as ComponentState })),
      startedAt: this.startedAt,
      ...(this.options.watchdog ? { watchdog: watchdogView(this.options.watchdog()) } : {}),
      ...(this.options.certificate ? { certificate: this.options.certificate() } : {}),
      ...(this.options.scoring ? { scoring: this.options.scoring() } : {}),
      ...readsView(this.readCounts()),
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

/** A copy of the counts, so the view does not change under its reader; none where reads are not audited. */
function readsView(counts: ReadCounts | undefined): { reads?: ReadCounts } {
  return counts ? { reads: { ...counts } } : {};
}
