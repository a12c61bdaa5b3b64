// The evaluation's analyst (`--triage`): closes every alert with the truth a day after its
// window ends, true positive when the window holds an incident, else false positive, and the
// verdicts reach the agent before its next retraining, as ScoreVerdicts do live. It shows what the
// verdict loop is worth with a team that triages everything; the detection figures without it are
// those of an agent whose alerts nobody closes.
import type { ScoreResult } from '../../agent/src/scoring/model/risk-model';
import { verdictKey, type WindowVerdicts } from '../../agent/src/scoring/windows/window-pipeline';

/** From a window's end to its alert's verdict. */
export const TRIAGE_DELAY_MS = 86_400_000;

export function truthfulTriage(alerted: readonly ScoreResult[], at: number): WindowVerdicts {
  const verdicts = new Map<string, 'learn' | 'never'>();
  for (const r of alerted)
    if (r.end + TRIAGE_DELAY_MS <= at)
      verdicts.set(verdictKey(r.user, r.start), r.labels.length > 0 ? 'never' : 'learn');
  return verdicts;
}
