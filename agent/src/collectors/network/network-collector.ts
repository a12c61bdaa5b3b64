// New outbound connections per process: polls a ConnectionSource and reports a
// connection not seen in the previous poll — once per process and remote
// address:port within `dedupMs` (a browser opening twenty connections to one
// server is one event). Connections open at start are the baseline. Loopback
// is left out unless asked for, and so is the agent's own traffic.
import { randomUUID } from 'node:crypto';
import { type Event, Severity } from '@wardwatch/proto';
import type { Collector, EventSink } from '../collector';
import type { ConnectionSource, OutboundConnection } from './connection-source';
import { isLoopback } from './proc-net';
import { PollTimer, timedPoll, type PollPace, type PollStats } from '../poll-loop';

export const COLLECTOR_NAME = 'network';

/** Process + remote pairs remembered for the dedup window; beyond this the oldest are forgotten (a scanner reaching 100,000 hosts must not grow the agent). */
export const MAX_REMEMBERED_PAIRS = 20_000;

export interface NetworkCollectorOptions {
  source: ConnectionSource;
  pollMs: number;
  /** Stretches the wait between polls while the agent is throttled (the watchdog's LoadSignal). */
  pace?: PollPace;
  dedupMs: number;
  includeLoopback?: boolean;
  /** This process: its own connections (to the manager) are not news. */
  selfPid?: number;
  now?: () => number;
  newId?: () => string;
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface NetworkCollectorStats extends PollStats {
  events: number;
  /** New connections not reported because the same process reached the same remote within the window. */
  deduplicated: number;
}

export class NetworkCollector implements Collector {
  readonly name = COLLECTOR_NAME;
  readonly stats: NetworkCollectorStats = { polls: 0, pollErrors: 0, events: 0, deduplicated: 0, lastPollMs: 0 };
  private seen = new Set<string>();
  /** Last report per process + remote, for the dedup window. */
  private readonly lastReported = new Map<string, number>();
  private sink: EventSink | undefined;
  private readonly timer: PollTimer;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly selfPid: number;

  constructor(private readonly options: NetworkCollectorOptions) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    this.selfPid = options.selfPid ?? process.pid;
    this.timer = new PollTimer(options.pollMs, () => this.poll(), options.pace);
  }

  async start(sink: EventSink): Promise<void> {
    if (this.sink) return;
    this.sink = sink;
    await this.poll(true);
    this.timer.start();
  }

  async stop(): Promise<void> {
    this.sink = undefined;
    await this.timer.stop();
  }

  /** One poll; exposed so tests can step without waiting for the timer. */
  async poll(baseline = false): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    await timedPoll(
      this.stats,
      `${COLLECTOR_NAME}: poll of ${this.options.source.name}`,
      this.options.log,
      async () => {
        const { connections, parseErrors } = await this.options.source.snapshot();
        for (const reason of parseErrors) sink.parseError(COLLECTOR_NAME, reason);
        const now = this.now();
        const seen = new Set<string>();
        for (const c of connections) {
          seen.add(c.key);
          if (this.seen.has(c.key) || c.pid === this.selfPid) continue;
          if (!this.options.includeLoopback && isLoopback(c.remoteAddress)) continue;
          const dedupKey = `${c.pid}\u0000${c.process}\u0000${c.protocol}\u0000${c.remoteAddress}\u0000${c.remotePort}`;
          const last = this.lastReported.get(dedupKey);
          if (last !== undefined && now - last < this.options.dedupMs) {
            this.stats.deduplicated += 1;
            continue;
          }
          this.lastReported.delete(dedupKey); // re-inserted at the end: the map stays oldest first
          this.lastReported.set(dedupKey, now);
          if (this.lastReported.size > MAX_REMEMBERED_PAIRS)
            this.lastReported.delete(this.lastReported.keys().next().value!);
          if (!baseline) this.emit(sink, c, now);
        }
        this.seen = seen;
        this.forgetOlderThan(now - this.options.dedupMs);
      },
    );
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [key, at] of this.lastReported) {
      if (at >= cutoff) break;
      this.lastReported.delete(key);
    }
  }

  private emit(sink: EventSink, c: OutboundConnection, timeMs: number): void {
    this.stats.events += 1;
    sink.emit({
      id: this.newId(),
      timeMs,
      severity: Severity.SEVERITY_INFO,
      user: c.user,
      sequence: 0, // given by the outbox
      detail: {
        $case: 'network',
        value: {
          action: 'connect',
          protocol: c.protocol,
          remoteAddress: c.remoteAddress,
          remotePort: c.remotePort,
          pid: c.pid,
          process: c.process,
        },
      },
    } satisfies Event);
  }
}
