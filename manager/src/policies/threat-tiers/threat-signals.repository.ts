// What the threat tiers read of alerts and scores: the recent alerts of workstations
// (created since a time, newest first) and their highest recent scores. Reads only, each
// bounded, both on indexed time columns. Alerts stay alerts/' to write; this reads the
// same tables as overview/ does, for the same reason: one statement instead of a call per row.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AlertEntity } from '../../alerts/alert.entity';
import { RiskScoreEntity } from '../../alerts/risk-score.entity';
import type { RecentAlert, ThreatSignals } from './tier-levels';

/** Rows read per run: more than this in one cool-down means the fleet is under attack; the newest count. */
export const MAX_SIGNAL_ROWS = 20_000;

@Injectable()
export class ThreatSignalsRepository {
  constructor(private readonly db: DataSource) {}

  /** Per agent (only those with a signal): alerts since `alertsSince`, top score since `scoresSince` at `minScore` or above. */
  async signals(
    range: { alertsSince: number; scoresSince: number; minScore: number | null },
    agentIds?: readonly string[],
  ): Promise<Map<string, ThreatSignals>> {
    const out = new Map<string, ThreatSignals>();
    const of = (agentId: string) => {
      let signals = out.get(agentId);
      if (!signals) out.set(agentId, (signals = { topScore: null, alerts: [] }));
      return signals;
    };
    const alerts = this.db
      .getRepository(AlertEntity)
      .createQueryBuilder('a')
      .select(['a.id', 'a.agentId', 'a.severity', 'a.createdAt', 'a.status'])
      .where('a.created_at >= :since', { since: range.alertsSince })
      .orderBy('a.created_at', 'DESC')
      .take(MAX_SIGNAL_ROWS);
    if (agentIds) alerts.andWhere('a.agent_id IN (:...ids)', { ids: [...agentIds] });
    for (const a of await alerts.getMany()) {
      const alert: RecentAlert = {
        id: a.id,
        severity: a.severity,
        createdAt: a.createdAt,
        open: a.status !== 'closed',
      };
      of(a.agentId).alerts.push(alert);
    }
    if (range.minScore === null) return out;
    const scores = this.db
      .getRepository(RiskScoreEntity)
      .createQueryBuilder('s')
      .select(['s.agentId', 's.scoreId', 's.score', 's.windowStart'])
      .where('s.window_start >= :since AND s.score >= :min', { since: range.scoresSince, min: range.minScore })
      .orderBy('s.score', 'DESC')
      .take(MAX_SIGNAL_ROWS);
    if (agentIds) scores.andWhere('s.agent_id IN (:...ids)', { ids: [...agentIds] });
    for (const s of await scores.getMany()) {
      const signals = of(s.agentId);
      signals.topScore ??= { score: s.score, windowStart: s.windowStart };
    }
    return out;
  }
}
