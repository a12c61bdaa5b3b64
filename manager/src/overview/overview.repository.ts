// The overview's aggregate reads. Each is one statement on an index whose leading
// columns are the filter (the range is always bounded), and returns a bounded number
// of rows: buckets × severities, top N, or one row per category. Rows are parsed with
// zod, as the engines return counts as numbers (SQLite) or strings (PostgreSQL).
// Indexes: idx_alert_created_overview (covering), idx_event_category_time,
// idx_event_action_time, idx_risk_score_window_agent (covering), idx_risk_score_user_window.
import { Injectable } from '@nestjs/common';
import { eventCategories } from '@wardwatch/shared';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { jsonTextField, placeholders } from '../database/engine-sql';

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

const num = z.coerce.number();
const text = z.string();

const BucketRow = z.object({ bucket: num, severity: num, n: num });
const RankRow = z.object({ key: text, label: text.nullable(), n: num, max_score: num });
const SourceRow = z.object({ source: text, n: num, workstations: num });
const UnitRow = z.object({ unit: text, mean_score: num, max_score: num, n: num });
const CategoryRow = z.object({ category: text, n: num });
const RuleSetRow = z.object({ rule_ids: text, n: num });
const DayRow = z.object({ day: num, risk: num });

export type BucketCount = z.infer<typeof BucketRow>;
export type RankCount = z.infer<typeof RankRow>;
export type SourceCount = z.infer<typeof SourceRow>;
export type UnitRiskRow = z.infer<typeof UnitRow>;
export type CategoryCountRow = z.infer<typeof CategoryRow>;
export type RuleSetCount = z.infer<typeof RuleSetRow>;
export type DayRisk = z.infer<typeof DayRow>;

/** Distinct rule-id sets read for the ATT&CK counts: alerts carry few distinct sets. */
export const MAX_RULE_SETS = 1000;
export const DAY_MS = 86_400_000;

@Injectable()
export class OverviewRepository {
  constructor(private readonly db: DataSource) {}

  private async rows<T>(schema: z.ZodType<T>, sql: string, params: unknown[]): Promise<T[]> {
    const raw: unknown = await this.db.query(placeholders(this.db, sql), params);
    return z.array(schema).parse(raw);
  }

  /** Alerts per bucket and severity. `bucketMs` is one of the overview's fixed sizes, never user text. */
  alertBuckets(range: TimeRange, bucketMs: number): Promise<BucketCount[]> {
    const size = integer(bucketMs);
    return this.rows(
      BucketRow,
      `SELECT created_at / ${size} AS bucket, severity, COUNT(*) AS n FROM alert
       WHERE created_at >= ? AND created_at < ? GROUP BY created_at / ${size}, severity`,
      [range.fromMs, range.toMs],
    );
  }

  /** Users with the most alerts (ties by the highest score, then token). */
  topUsers(range: TimeRange, limit: number): Promise<RankCount[]> {
    return this.rows(
      RankRow,
      `SELECT user_pseudonym AS key, user_pseudonym AS label, COUNT(*) AS n, MAX(score) AS max_score FROM alert
       WHERE created_at >= ? AND created_at < ? AND user_pseudonym IS NOT NULL AND user_pseudonym <> ''
       GROUP BY user_pseudonym ORDER BY n DESC, max_score DESC, key LIMIT ${integer(limit)}`,
      [range.fromMs, range.toMs],
    );
  }

  /** Workstations (agents) with the most alerts, with their enrolled host name. */
  topWorkstations(range: TimeRange, limit: number): Promise<RankCount[]> {
    return this.rows(
      RankRow,
      `SELECT t.agent_id AS key, g.hostname AS label, t.n, t.max_score FROM (
         SELECT agent_id, COUNT(*) AS n, MAX(score) AS max_score FROM alert
         WHERE created_at >= ? AND created_at < ? GROUP BY agent_id
         ORDER BY n DESC, max_score DESC, agent_id LIMIT ${integer(limit)}
       ) t LEFT JOIN agent g ON g.id = t.agent_id ORDER BY t.n DESC, t.max_score DESC, t.agent_id`,
      [range.fromMs, range.toMs],
    );
  }

  /** Logon sources (address token, else host token) by failed logons, on idx_event_action_time. */
  topSources(range: TimeRange, limit: number): Promise<SourceCount[]> {
    const ip = jsonTextField(this.db, 'detail', 'sourceIp');
    const host = jsonTextField(this.db, 'detail', 'sourceHost');
    return this.rows(
      SourceRow,
      `SELECT source, COUNT(*) AS n, COUNT(DISTINCT agent_id) AS workstations FROM (
         SELECT COALESCE(NULLIF(${ip}, ''), NULLIF(${host}, '')) AS source, agent_id FROM event
         WHERE action = 'failed_logon' AND time_ms >= ? AND time_ms < ? AND category = 'login'
       ) f WHERE source IS NOT NULL GROUP BY source ORDER BY n DESC, source LIMIT ${integer(limit)}`,
      [range.fromMs, range.toMs],
    );
  }

  /**
   * Scored windows per unit (agents without one under ''), the riskiest first. Summed per
   * agent first, from idx_risk_score_window_agent alone, then per unit: one join per
   * agent instead of one per scored window.
   */
  riskByUnit(range: TimeRange, limit: number): Promise<UnitRiskRow[]> {
    return this.rows(
      UnitRow,
      `SELECT COALESCE(g.unit, '') AS unit, SUM(a.total) * 1.0 / SUM(a.n) AS mean_score,
              MAX(a.max_score) AS max_score, SUM(a.n) AS n
       FROM (SELECT agent_id, SUM(score) AS total, MAX(score) AS max_score, COUNT(*) AS n FROM risk_score
             WHERE window_start >= ? AND window_start < ? GROUP BY agent_id) a
       LEFT JOIN agent g ON g.id = a.agent_id
       GROUP BY COALESCE(g.unit, '') ORDER BY max_score DESC, mean_score DESC, unit LIMIT ${integer(limit)}`,
      [range.fromMs, range.toMs],
    );
  }

  /** Events per category, one index range per category (idx_event_category_time). */
  eventsByCategory(range: TimeRange): Promise<CategoryCountRow[]> {
    const categories = eventCategories.map((c) => `'${c}'`).join(', ');
    return this.rows(
      CategoryRow,
      `SELECT category, COUNT(*) AS n FROM event
       WHERE category IN (${categories}) AND time_ms >= ? AND time_ms < ? GROUP BY category`,
      [range.fromMs, range.toMs],
    );
  }

  /** Alerts per distinct set of rule ids (JSON text), bounded. */
  ruleSets(range: TimeRange): Promise<RuleSetCount[]> {
    return this.rows(
      RuleSetRow,
      `SELECT rule_ids, COUNT(*) AS n FROM alert
       WHERE created_at >= ? AND created_at < ? AND rule_ids IS NOT NULL AND rule_ids <> '[]'
       GROUP BY rule_ids ORDER BY n DESC LIMIT ${MAX_RULE_SETS}`,
      [range.fromMs, range.toMs],
    );
  }

  /** A user's daily risk: the mean score of the windows starting that (UTC) day. */
  userDailyRisk(user: string, range: TimeRange): Promise<DayRisk[]> {
    return this.rows(
      DayRow,
      `SELECT window_start / ${DAY_MS} AS day, AVG(score) AS risk FROM risk_score
       WHERE user_pseudonym = ? AND window_start >= ? AND window_start < ?
       GROUP BY window_start / ${DAY_MS} ORDER BY day`,
      [user, range.fromMs, range.toMs],
    );
  }

  /** A unit's daily risk: the mean score of its workstations' windows starting that day ('' = no unit). */
  unitDailyRisk(unit: string, range: TimeRange): Promise<DayRisk[]> {
    return this.rows(
      DayRow,
      `SELECT window_start / ${DAY_MS} AS day, AVG(score) AS risk FROM risk_score
       WHERE agent_id IN (SELECT id FROM agent WHERE COALESCE(unit, '') = ?)
         AND window_start >= ? AND window_start < ?
       GROUP BY window_start / ${DAY_MS} ORDER BY day`,
      [unit, range.fromMs, range.toMs],
    );
  }

  /** One workstation's daily risk: the mean score of its windows starting that day, whoever was signed in. */
  agentDailyRisk(agentId: string, range: TimeRange): Promise<DayRisk[]> {
    return this.rows(
      DayRow,
      `SELECT window_start / ${DAY_MS} AS day, AVG(score) AS risk FROM risk_score
       WHERE agent_id = ? AND window_start >= ? AND window_start < ?
       GROUP BY window_start / ${DAY_MS} ORDER BY day`,
      [agentId, range.fromMs, range.toMs],
    );
  }

  /** The statement the bench compares every query with. */
  async countEvents(): Promise<number> {
    const [row] = await this.rows(z.object({ n: num }), 'SELECT COUNT(*) AS n FROM event', []);
    return row.n;
  }
}

/** Numbers written into SQL text must be plain integers. */
function integer(value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`not a positive integer: ${value}`);
  return value;
}
