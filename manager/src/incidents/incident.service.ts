// Turns the tracker's episodes into incidents: each flush writes the episodes that
// crossed a threshold and saw new events (one row per episode, updated in place, the
// opening audited), then closes the incidents quiet for their rule's gap. Reads for
// the REST API: the list, and one incident with its evidence events.
import { Inject, Injectable } from '@nestjs/common';
import type { EventView, IncidentDetail, IncidentKind, IncidentQuery, IncidentView } from '@wardwatch/shared';
import { incidentKinds } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { EventQueryService } from '../events/event-query.service';
import { episodeReason } from './incident-reason';
import { IncidentTracker, type Episode } from './incident-tracker';
import type { IncidentEntity } from './incident.entity';
import { IncidentRepository } from './incident.repository';

export class IncidentError extends DomainError {
  constructor(message: string) {
    super('incident_not_found', message, 'not_found');
  }
}

export interface FlushResult {
  opened: number;
  updated: number;
  closed: number;
}

@Injectable()
export class IncidentService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly events: EventQueryService,
    private readonly tracker: IncidentTracker,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(RandomSource) private readonly random: Pick<RandomSource, 'uuid'>,
  ) {}

  private observeFailures = 0;

  /** Batches the tracker failed on (a fault of ours, never the agent's): the job logs them. */
  get failedObservations(): number {
    return this.observeFailures;
  }

  /**
   * Committed events, as EventBus hands them over: memory only, never the database. Runs on
   * the ingest path after commit, so it must not throw: a batch already stored would then
   * go unacknowledged.
   */
  observe(events: readonly EventView[]): void {
    try {
      this.tracker.observe(events, this.clock.now());
    } catch {
      this.observeFailures += 1;
    }
  }

  async flush(): Promise<FlushResult> {
    const now = this.clock.now();
    const result: FlushResult = { opened: 0, updated: 0, closed: 0 };
    for (const episode of this.tracker.takeChanged(now)) {
      const opened = await this.transactions.run((tx) => this.write(episode, now, tx));
      if (opened) result.opened += 1;
      else result.updated += 1;
    }
    for (const kind of incidentKinds) {
      const cutoff = now - this.tracker.quietMs(kind);
      result.closed += await this.transactions.run((tx) => this.incidents.closeQuiet(kind, cutoff, tx));
    }
    return result;
  }

  /** Writes one episode; true when it opened a new incident. */
  private async write(episode: Episode, now: number, tx: Tx): Promise<boolean> {
    let row = episode.incidentId ? await this.incidents.find(episode.incidentId, tx) : null;
    if (!row || row.status !== 'open') {
      // After a restart (or an eviction) the source's open incident goes on: its counts are taken in.
      row = await this.incidents.findOpen(episode.kind, episode.subject, tx);
      if (row) this.adopt(episode, row);
    }
    const opened = !row;
    const { maxDistinct } = this.tracker.listLimit;
    const workstations = [...new Set(episode.workstations.values())].sort();
    const next: IncidentEntity = {
      id: row?.id ?? this.random.uuid(),
      kind: episode.kind,
      subject: episode.subject,
      status: 'open',
      firstSeenMs: episode.firstSeenMs,
      lastSeenMs: episode.lastSeenMs,
      events: episode.events,
      failures: episode.failures,
      accounts: [...episode.accounts].sort(),
      accountCount: episode.accounts.size,
      workstations,
      workstationCount: episode.workstations.size,
      reason: episodeReason(episode, maxDistinct),
      evidence: episode.evidence,
      evidenceCount: episode.evidenceCount,
      createdMs: row?.createdMs ?? now,
      updatedMs: now,
    };
    await this.incidents.save(next, tx);
    episode.incidentId = next.id;
    if (opened)
      await this.audit.append(
        {
          actor: 'system',
          action: 'incident.open',
          target: next.id,
          details: { kind: next.kind, subject: next.subject },
        },
        tx,
      );
    return opened;
  }

  /** Folds a stored incident's counts into an episode the tracker started afresh. */
  private adopt(episode: Episode, row: IncidentEntity): void {
    const { maxDistinct, maxEvidence } = this.tracker.listLimit;
    episode.firstSeenMs = Math.min(episode.firstSeenMs, row.firstSeenMs);
    episode.lastSeenMs = Math.max(episode.lastSeenMs, row.lastSeenMs);
    episode.events += row.events;
    episode.failures += row.failures;
    for (const account of row.accounts) if (episode.accounts.size < maxDistinct) episode.accounts.add(account);
    const hosts = new Set(episode.workstations.values());
    for (const host of row.workstations)
      if (!hosts.has(host) && episode.workstations.size < maxDistinct) episode.workstations.set(`stored:${host}`, host);
    episode.evidence = [...row.evidence, ...episode.evidence].slice(0, maxEvidence);
    episode.evidenceCount += row.evidenceCount;
  }

  async list(query: IncidentQuery): Promise<{ items: IncidentView[] }> {
    return { items: (await this.incidents.list(query)).map(toIncidentView) };
  }

  async detail(id: string): Promise<IncidentDetail> {
    const row = await this.incidents.find(id);
    if (!row) throw new IncidentError(`no incident ${id}`);
    const byAgent = new Map<string, string[]>();
    for (const ref of row.evidence) byAgent.set(ref.agentId, [...(byAgent.get(ref.agentId) ?? []), ref.eventId]);
    const events: EventView[] = [];
    for (const [agentId, ids] of byAgent) events.push(...(await this.events.byIds(agentId, ids)));
    events.sort((a, b) => a.timeMs - b.timeMs || a.agentId.localeCompare(b.agentId) || a.id.localeCompare(b.id));
    return {
      incident: toIncidentView(row),
      events,
      evidenceNotListed: Math.max(0, row.evidenceCount - row.evidence.length),
    };
  }
}

export function toIncidentView(row: IncidentEntity): IncidentView {
  return { ...row, kind: row.kind satisfies IncidentKind };
}
