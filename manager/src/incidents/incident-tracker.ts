// Bounded in-memory aggregation of logon activity across the fleet, fed with each
// batch of events after it is committed (EventBus) and read by the flush job.
//
// Invariants (held by incident-tracker.test.ts):
// - observe() is O(1) per event and never touches the database, so ingest is not slowed;
// - at most `maxTracked` subjects per rule are kept (least recently active evicted first,
//   counted), each with at most `maxDistinct` accounts and workstations and
//   `maxEvidence` evidence references: memory is bounded whatever agents send;
// - an episode is activity of one subject with no gap of `quietMs` between event times;
//   a later event after such a gap starts a new episode (and so a new incident).
import type { EventView, EvidenceRef, IncidentKind } from '@wardwatch/shared';
import type { IncidentRuleConfig, IncidentsConfig } from '../config/config.schema';

/** The quiet gap ends an episode (event time; manager time for closing its incident). */
export type RuleThresholds = IncidentRuleConfig;
export type IncidentLimits = IncidentsConfig['limits'];

/** One subject's current episode. */
export interface Episode {
  kind: IncidentKind;
  subject: string;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Manager time of the last event, for closing on the manager's clock. */
  touchedMs: number;
  events: number;
  failures: number;
  accounts: Set<string>;
  /** agentId → hostname. */
  workstations: Map<string, string>;
  evidence: EvidenceRef[];
  evidenceCount: number;
  /** New events since the last flush. */
  dirty: boolean;
  /** The incident this episode is written to, once it has one. */
  incidentId?: string;
}

const SUBJECT = /^[A-Za-z0-9_.:-]{1,128}$/;

function text(value: unknown): string {
  return typeof value === 'string' && SUBJECT.test(value) ? value : '';
}

export class IncidentTracker {
  private readonly episodes: Record<IncidentKind, Map<string, Episode>> = {
    source_failed_logons: new Map(),
    account_cross_host: new Map(),
  };
  private evictedCount = 0;

  constructor(private readonly limits: IncidentLimits) {}

  /** Subjects evicted to stay within `maxTracked` since start. */
  get evicted(): number {
    return this.evictedCount;
  }

  tracked(kind: IncidentKind): number {
    return this.episodes[kind].size;
  }

  observe(events: readonly EventView[], nowMs: number): void {
    for (const event of events) {
      if (event.category !== 'login') continue;
      const failed = event.action === 'failed_logon';
      if (failed) {
        const source = text(event.detail.sourceIp) || text(event.detail.sourceHost);
        if (source) this.add('source_failed_logons', source, event, failed, nowMs);
      }
      const account = text(event.user);
      if (account && (failed || event.action === 'logon'))
        this.add('account_cross_host', account, event, failed, nowMs);
    }
  }

  private thresholds(kind: IncidentKind): RuleThresholds {
    return kind === 'source_failed_logons' ? this.limits.sourceFailedLogons : this.limits.accountCrossHost;
  }

  private add(kind: IncidentKind, subject: string, event: EventView, failed: boolean, nowMs: number): void {
    const map = this.episodes[kind];
    let episode = map.get(subject);
    if (episode && event.timeMs > episode.lastSeenMs + this.thresholds(kind).quietMs) episode = undefined;
    if (!episode) episode = newEpisode(kind, subject, event.timeMs);
    // Re-inserting keeps the map ordered by last activity, so the first key is the one to evict.
    map.delete(subject);
    map.set(subject, episode);
    if (map.size > this.limits.maxTracked) {
      map.delete(map.keys().next().value as string);
      this.evictedCount += 1;
    }
    episode.firstSeenMs = Math.min(episode.firstSeenMs, event.timeMs);
    episode.lastSeenMs = Math.max(episode.lastSeenMs, event.timeMs);
    episode.touchedMs = nowMs;
    episode.events += 1;
    if (failed) episode.failures += 1;
    const account = text(event.user);
    if (account && episode.accounts.size < this.limits.maxDistinct) episode.accounts.add(account);
    if (episode.workstations.size < this.limits.maxDistinct || episode.workstations.has(event.agentId))
      episode.workstations.set(event.agentId, event.hostname.slice(0, 255));
    if (episode.evidence.length < this.limits.maxEvidence)
      episode.evidence.push({ agentId: event.agentId, eventId: event.id });
    episode.evidenceCount += 1;
    episode.dirty = true;
  }

  /** True when the episode has crossed one of its rule's thresholds. */
  isIncident(episode: Episode): boolean {
    const t = this.thresholds(episode.kind);
    return (
      episode.accounts.size >= t.minAccounts ||
      episode.failures >= t.minFailures ||
      episode.workstations.size >= t.minWorkstations
    );
  }

  /**
   * The episodes to write (incidents with new events), marked clean; episodes quiet on
   * the manager's clock for their rule's gap are forgotten (their incident is closed by
   * the service from the database, so a restart closes it too).
   */
  takeChanged(nowMs: number): Episode[] {
    const changed: Episode[] = [];
    for (const [kind, map] of Object.entries(this.episodes) as [IncidentKind, Map<string, Episode>][]) {
      const quietMs = this.thresholds(kind).quietMs;
      for (const [subject, episode] of map) {
        if (episode.dirty && this.isIncident(episode)) changed.push(episode);
        episode.dirty = false;
        if (episode.touchedMs + quietMs <= nowMs) map.delete(subject);
      }
    }
    return changed;
  }

  quietMs(kind: IncidentKind): number {
    return this.thresholds(kind).quietMs;
  }

  get listLimit(): { maxDistinct: number; maxEvidence: number } {
    return { maxDistinct: this.limits.maxDistinct, maxEvidence: this.limits.maxEvidence };
  }
}

function newEpisode(kind: IncidentKind, subject: string, timeMs: number): Episode {
  return {
    kind,
    subject,
    firstSeenMs: timeMs,
    lastSeenMs: timeMs,
    touchedMs: 0,
    events: 0,
    failures: 0,
    accounts: new Set(),
    workstations: new Map(),
    evidence: [],
    evidenceCount: 0,
    dirty: false,
  };
}
