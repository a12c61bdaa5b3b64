// The agents' live gRPC streams, so that revoking an agent can end its stream at once.
import { Injectable, Optional } from '@nestjs/common';
import type { ManagerMessage } from '@wardwatch/proto';
import { ManagerMetrics } from '../metrics/manager-metrics';

/**
 * Why a stream is ended: the agent is refused from now on, only asked to come back later,
 * sent more than it may (a batch over a cap, its rate or its quota; it resends after a
 * backoff), or a newer session of the same agent took its place.
 */
export type CloseKind = 'refused' | 'retry' | 'over_limit' | 'replaced';

export interface LiveSession {
  /** Ends the stream with the given reason. */
  close(reason: string, kind: CloseKind): void;
  /** Writes a message down the stream; false when the stream has ended. */
  send(message: ManagerMessage): boolean;
}

@Injectable()
export class AgentSessionsRegistry {
  private readonly live = new Map<string, Set<LiveSession>>();
  private readonly endings = new Set<Promise<unknown>>();

  constructor(@Optional() metrics?: ManagerMetrics) {
    metrics?.observe('agentSessions', () => this.total());
  }

  /** Agents with a stream open now. */
  agentIds(): string[] {
    return [...this.live.keys()];
  }

  /** Streams open now, all agents together. */
  total(): number {
    let sum = 0;
    for (const set of this.live.values()) sum += set.size;
    return sum;
  }

  add(agentId: string, session: LiveSession): void {
    const set = this.live.get(agentId) ?? new Set<LiveSession>();
    set.add(session);
    this.live.set(agentId, set);
  }

  remove(agentId: string, session: LiveSession): void {
    const set = this.live.get(agentId);
    set?.delete(session);
    if (set?.size === 0) this.live.delete(agentId);
  }

  /** Sends to the agent's live stream; false when it has none (the message waits or is dropped by the caller). */
  send(agentId: string, message: ManagerMessage): boolean {
    for (const session of this.live.get(agentId) ?? []) if (session.send(message)) return true;
    return false;
  }

  count(agentId: string): number {
    return this.live.get(agentId)?.size ?? 0;
  }

  closeAll(agentId: string, reason: string, kind: CloseKind = 'refused'): void {
    for (const session of [...(this.live.get(agentId) ?? [])]) session.close(reason, kind);
  }

  closeEverything(reason: string): void {
    for (const agentId of [...this.live.keys()]) this.closeAll(agentId, reason, 'retry');
  }

  /** Work a stream does as it ends (marking its agent offline), which shutdown must wait for. */
  trackEnding(work: Promise<unknown>): void {
    const settled = work.catch(() => undefined).finally(() => this.endings.delete(settled));
    this.endings.add(settled);
  }

  /** Resolves when every ending tracked so far has finished. */
  async endingsSettled(): Promise<void> {
    await Promise.all([...this.endings]);
  }
}
