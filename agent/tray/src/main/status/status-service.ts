// Turns local-API calls into the results the renderer shows (a status or a
// worded problem, never a thrown error), keeps the latest one for the tray
// icon and menu, and tells listeners when it changes.
import type { AgentStatus } from '@wardwatch/shared';
import type { RecentEventsResult, StatusResult } from '../../common/ipc-channels';
import type { RecentEventsBody } from '../local-api/local-api-client';
import type { LocalApiError } from '../local-api/local-api-error';
import { problemOf } from '../local-api/problem-of';

export interface AgentStatusSource {
  getStatus(): Promise<AgentStatus>;
  getRecentEvents(): Promise<RecentEventsBody>;
}

export interface StatusServiceDeps {
  source: AgentStatusSource;
  now(): number;
  /** Told once per failure; the tray logs it at this boundary. */
  onProblem(context: { call: string; code: string; message: string }): void;
}

export type StatusListener = (result: StatusResult) => void;

export class StatusService {
  private latest: StatusResult | null = null;
  private inFlight: Promise<StatusResult> | null = null;
  private readonly listeners = new Set<StatusListener>();

  constructor(private readonly deps: StatusServiceDeps) {}

  /** The last result fetched, or null before the first. */
  current(): StatusResult | null {
    return this.latest;
  }

  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetches the status now, remembers it and tells every listener. Calls during a fetch share it. */
  refresh(): Promise<StatusResult> {
    this.inFlight ??= this.fetchStatus().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async fetchStatus(): Promise<StatusResult> {
    const fetchedAt = this.deps.now();
    let result: StatusResult;
    try {
      result = { ok: true, fetchedAt, status: await this.deps.source.getStatus() };
    } catch (error) {
      result = { ok: false, fetchedAt, problem: this.problem('status', error) };
    }
    this.latest = result;
    for (const listener of this.listeners) listener(result);
    return result;
  }

  async recentEvents(): Promise<RecentEventsResult> {
    const fetchedAt = this.deps.now();
    try {
      const recent = await this.deps.source.getRecentEvents();
      // Newest first: what a person opening the window wants to see.
      const items = [...recent.items].sort((a, b) => b.timeMs - a.timeMs);
      return { ok: true, fetchedAt, items };
    } catch (error) {
      return { ok: false, fetchedAt, problem: this.problem('recent events', error) };
    }
  }

  private problem(call: string, error: unknown): { code: LocalApiError['code']; message: string } {
    const problem = problemOf(error);
    this.deps.onProblem({ call, ...problem });
    return problem;
  }
}
