// Rows of scores and their alerts' verdicts → the ScoreVerdicts message an agent gets, one per
// agent. The agent finds its window by the start and the user's pseudonym, as it sent them.
import { Verdict, type ManagerMessage, type ScoreVerdict } from '@wardwatch/proto';
import type { AlertVerdict } from '@wardwatch/shared';
import type { ScoreVerdictRow } from './score-verdict.repository';

const WIRE_VERDICT: Record<AlertVerdict, Verdict> = {
  true_positive: Verdict.VERDICT_TRUE_POSITIVE,
  false_positive: Verdict.VERDICT_FALSE_POSITIVE,
  benign: Verdict.VERDICT_BENIGN,
};

export function toScoreVerdict(row: ScoreVerdictRow): ScoreVerdict {
  return {
    scoreId: row.scoreId,
    windowStartMs: row.windowStart,
    user: row.user,
    verdict: WIRE_VERDICT[row.verdict] ?? Verdict.VERDICT_UNSPECIFIED,
    decidedAtMs: row.decidedAt,
  };
}

/** The message for each agent the rows name, the rows' order kept. */
export function verdictMessagesByAgent(rows: readonly ScoreVerdictRow[]): Map<string, ManagerMessage> {
  const byAgent = new Map<string, ScoreVerdict[]>();
  for (const row of rows) {
    const list = byAgent.get(row.agentId);
    if (list) list.push(toScoreVerdict(row));
    else byAgent.set(row.agentId, [toScoreVerdict(row)]);
  }
  return new Map(
    [...byAgent].map(([agentId, verdicts]) => [agentId, { body: { $case: 'scoreVerdicts', value: { verdicts } } }]),
  );
}
