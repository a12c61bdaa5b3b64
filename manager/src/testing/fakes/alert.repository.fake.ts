// In-memory AlertRepository, RiskScoreRepository and EventRepository for unit tests.
// Paging keeps the real sort order (newest first) so cursors round-trip.
import type { AlertKind, AlertStatus } from '@wardwatch/shared';
import type { AlertCommentEntity } from '../../alerts/alert-comment.entity';
import type { AlertCommentRepository } from '../../alerts/alert-comment.repository';
import type { AlertEntity, AlertTriageFields } from '../../alerts/alert.entity';
import type { AlertKey, AlertNeighbourhood, AlertRepository, NewAlert } from '../../alerts/alert.repository';
import type { RiskScoreEntity } from '../../alerts/risk-score.entity';
import type { RiskScoreRepository, ScoreFilter, ScoreKey } from '../../alerts/risk-score.repository';
import type { EventRecord } from '../../events/event-record';
import type { EventFilter, EventKey, EventRepository, SequenceReport } from '../../events/event.repository';
import { InMemoryTable, type Public } from './fakes';

/** Compares sort keys the way the SQL does: each part in turn. */
function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function newestFirst<R>(
  rows: R[],
  key: (r: R) => (string | number)[],
  limit: number,
  after?: (string | number)[],
): R[] {
  return rows
    .filter((r) => !after || compareKeys(key(r), after) < 0)
    .sort((a, b) => compareKeys(key(b), key(a)))
    .slice(0, limit + 1);
}

export class InMemoryAlertRepository extends InMemoryTable<AlertEntity> implements Public<AlertRepository> {
  insert(alert: NewAlert): Promise<void> {
    this.rows.push({
      suspects: null,
      identityMismatch: null,
      reasonDetails: null,
      ruleIds: null,
      threshold: null,
      modelSource: null,
      kind: 'behaviour',
      ...NO_TRIAGE,
      ...alert,
    });
    return Promise.resolve();
  }
  findById(id: string): Promise<AlertEntity | null> {
    const row = this.rows.find((a) => a.id === id);
    return Promise.resolve(row ? structuredClone(row) : null);
  }
  findOpen(agentId: string, user: string, windowStart: number): Promise<AlertEntity | null> {
    const row = this.rows.find(
      (a) => a.agentId === agentId && a.user === user && a.windowStart === windowStart && a.status !== 'closed',
    );
    return Promise.resolve(row ? structuredClone(row) : null);
  }
  findEpisode(kind: AlertKind, agentId: string, windowStart: number): Promise<AlertEntity | null> {
    const row = this.rows.find((a) => a.kind === kind && a.agentId === agentId && a.windowStart === windowStart);
    return Promise.resolve(row ? structuredClone(row) : null);
  }
  unended(kind: AlertKind, limit: number): Promise<AlertEntity[]> {
    const rows = this.rows.filter((a) => a.kind === kind && a.windowEnd === null);
    rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    return Promise.resolve(rows.slice(0, limit).map((a) => structuredClone(a)));
  }
  lastEpisodeEnd(kind: AlertKind, agentId: string): Promise<number | null> {
    const ends = this.rows.filter((a) => a.kind === kind && a.agentId === agentId && a.windowEnd !== null);
    return Promise.resolve(ends.length === 0 ? null : Math.max(...ends.map((a) => a.windowEnd!)));
  }
  update(id: string, changes: Partial<Omit<AlertEntity, 'id'>>): Promise<void> {
    const row = this.rows.find((a) => a.id === id);
    if (row) Object.assign(row, changes);
    return Promise.resolve();
  }
  updateTriage(id: string, revision: number, changes: Partial<AlertTriageFields>): Promise<boolean> {
    const row = this.rows.find((a) => a.id === id && a.revision === revision);
    if (row) Object.assign(row, changes, { revision: revision + 1 });
    return Promise.resolve(row !== undefined);
  }
  near(around: AlertNeighbourhood, limit: number): Promise<AlertEntity[]> {
    const rows = this.rows.filter(
      (a) =>
        (around.agentId === undefined || a.agentId === around.agentId) &&
        (around.user === undefined || a.user === around.user) &&
        a.createdAt >= around.fromMs &&
        a.createdAt <= around.toMs,
    );
    return Promise.resolve(newestFirst(rows, (a) => [a.createdAt, a.id], limit - 1).map((a) => structuredClone(a)));
  }
  page(limit: number, after?: AlertKey, status?: AlertStatus): Promise<AlertEntity[]> {
    const rows = status ? this.rows.filter((a) => a.status === status) : this.rows;
    return Promise.resolve(newestFirst(rows, (a) => [a.createdAt, a.id], limit, after));
  }
  deleteUntouchedSince(cutoffMs: number, limit: number): Promise<number> {
    return Promise.resolve(
      deleteSome(this, (a) => a.createdAt < cutoffMs && (a.updatedAt === null || a.updatedAt < cutoffMs), limit),
    );
  }
}

/** Comments, deleted with their alert (an alert table to look in). */
export class InMemoryAlertCommentRepository
  extends InMemoryTable<AlertCommentEntity>
  implements Public<AlertCommentRepository>
{
  constructor(private readonly alerts: InMemoryAlertRepository) {
    super();
  }
  insert(comment: AlertCommentEntity): Promise<void> {
    this.rows.push({ ...comment });
    return Promise.resolve();
  }
  tally(alertId: string): Promise<{ count: number; lastAt: number }> {
    const rows = this.rows.filter((c) => c.alertId === alertId);
    return Promise.resolve({ count: rows.length, lastAt: Math.max(0, ...rows.map((c) => c.createdAt)) });
  }
  listFor(alertId: string, limit: number): Promise<AlertCommentEntity[]> {
    const rows = this.rows.filter((c) => c.alertId === alertId);
    rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    return Promise.resolve(rows.slice(0, limit).map((c) => ({ ...c })));
  }
  deleteOrphans(limit: number): Promise<number> {
    return Promise.resolve(deleteSome(this, (c) => !this.alerts.rows.some((a) => a.id === c.alertId), limit));
  }
}

/** A new alert's triage fields: nobody has touched it yet. */
export const NO_TRIAGE = {
  revision: 1,
  assignee: null,
  acknowledgedBy: null,
  acknowledgedAt: null,
  closedBy: null,
  closedAt: null,
  verdict: null,
} as const satisfies Omit<AlertTriageFields, 'status'> & { revision: number };

/** Removes up to `limit` rows that `old` accepts; returns how many. */
function deleteSome<R>(table: InMemoryTable<R>, old: (row: R) => boolean, limit: number): number {
  let deleted = 0;
  table.rows = table.rows.filter((row) => {
    if (deleted >= limit || !old(row)) return true;
    deleted += 1;
    return false;
  });
  return deleted;
}

export class InMemoryRiskScoreRepository extends InMemoryTable<RiskScoreEntity> implements Public<RiskScoreRepository> {
  knownIds(agentId: string, scoreIds: string[]): Promise<Set<string>> {
    const ids = new Set(scoreIds);
    return Promise.resolve(
      new Set(this.rows.filter((s) => s.agentId === agentId && ids.has(s.scoreId)).map((s) => s.scoreId)),
    );
  }
  insert(rows: RiskScoreEntity[]): Promise<void> {
    this.rows.push(...rows.map((r) => ({ ...r })));
    return Promise.resolve();
  }
  page(filter: ScoreFilter, limit: number, after?: ScoreKey): Promise<RiskScoreEntity[]> {
    const rows = this.rows.filter(
      (s) => (!filter.agentId || s.agentId === filter.agentId) && (!filter.user || s.user === filter.user),
    );
    return Promise.resolve(newestFirst(rows, (s) => [s.windowStart, s.agentId, s.scoreId], limit, after));
  }
  history(agentId: string, user: string, fromMs: number, toMs: number, limit: number): Promise<RiskScoreEntity[]> {
    const rows = this.rows
      .filter((s) => s.agentId === agentId && s.user === user && s.windowStart >= fromMs && s.windowStart <= toMs)
      .sort((a, b) => a.windowStart - b.windowStart || a.scoredAt - b.scoredAt || (a.scoreId < b.scoreId ? -1 : 1));
    return Promise.resolve(rows.slice(0, limit));
  }
  deleteReceivedBefore(cutoffMs: number, limit: number): Promise<number> {
    return Promise.resolve(deleteSome(this, (s) => s.receivedAt < cutoffMs, limit));
  }
}

/** Filters by agent only; the SQL filters are tested on the real databases. */
export class InMemoryEventRepository extends InMemoryTable<EventRecord> implements Public<EventRepository> {
  insertNew(records: EventRecord[]): Promise<EventRecord[]> {
    const fresh: EventRecord[] = [];
    for (const record of records) {
      if (this.rows.some((r) => r.agentId === record.agentId && r.eventId === record.eventId)) continue;
      this.rows.push(record);
      fresh.push(record);
    }
    return Promise.resolve(fresh);
  }
  page(filter: EventFilter, limit: number, after?: EventKey): Promise<EventRecord[]> {
    const rows = this.rows.filter((e) => !filter.agentId || e.agentId === filter.agentId);
    return Promise.resolve(newestFirst(rows, (e) => [e.timeMs, e.agentId, e.eventId], limit, after));
  }
  findByIds(agentId: string, eventIds: string[]): Promise<EventRecord[]> {
    const ids = new Set(eventIds);
    const rows = this.rows.filter((e) => e.agentId === agentId && ids.has(e.eventId));
    return Promise.resolve(newestFirst(rows, (e) => [e.timeMs, e.eventId], rows.length));
  }
  /** The SQL's LIKE over the detail JSON, as a search of its values. */
  pairsWithTokens(
    categories: string[],
    tokens: string[],
    fromMs: number,
    toMs: number,
    limit: number,
  ): Promise<{ agentId: string; user: string }[]> {
    const rows = newestFirst(
      this.rows.filter(
        (e) =>
          categories.includes(e.category) &&
          e.timeMs >= fromMs &&
          e.timeMs <= toMs &&
          Object.values(e.detail).some((v) => typeof v === 'string' && tokens.includes(v)),
      ),
      (e) => [e.timeMs, e.agentId, e.eventId],
      limit - 1,
    );
    const pairs = new Map(rows.map((e) => [`${e.agentId}/${e.user}`, { agentId: e.agentId, user: e.user }]));
    return Promise.resolve([...pairs.values()]);
  }
  countForUser(user: string): Promise<number> {
    return Promise.resolve(this.rows.filter((e) => e.user === user).length);
  }
  recentActions(sample: number, limit: number): Promise<{ category: string; action: string; count: number }[]> {
    const counts = new Map<string, { category: string; action: string; count: number }>();
    for (const e of newestFirst(this.rows, (r) => [r.timeMs, r.agentId, r.eventId], sample - 1)) {
      const key = `${e.category}/${e.action}`;
      const entry = counts.get(key) ?? { category: e.category, action: e.action, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    return Promise.resolve([...counts.values()].sort((a, b) => b.count - a.count).slice(0, limit));
  }
  deleteReceivedBefore(cutoffMs: number, limit: number): Promise<number> {
    return Promise.resolve(deleteSome(this, (e) => e.receivedMs < cutoffMs, limit));
  }

  countForAgent(agentId: string): Promise<number> {
    return Promise.resolve(this.rows.filter((e) => e.agentId === agentId).length);
  }

  sequenceReports(agentId?: string): Promise<SequenceReport[]> {
    const agents = [...new Set(this.rows.map((e) => e.agentId))].filter((a) => agentId === undefined || a === agentId);
    return Promise.resolve(
      agents.sort().map((agent) => {
        const rows = this.rows.filter((e) => e.agentId === agent);
        const numbers = rows.flatMap((e) => (e.sequence === null ? [] : [e.sequence]));
        const distinct = new Set(numbers).size;
        const min = numbers.length > 0 ? Math.min(...numbers) : null;
        const max = numbers.length > 0 ? Math.max(...numbers) : null;
        const missing = min === null || max === null ? 0 : max - min + 1 - distinct;
        const duplicates = numbers.length - distinct;
        return {
          agentId: agent,
          events: rows.length,
          numbered: numbers.length,
          min,
          max,
          distinct,
          duplicates,
          missing,
        };
      }),
    );
  }
}
