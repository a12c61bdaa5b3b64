import { describe, expect, it } from 'vitest';
import type { ScoreResult } from '../../agent/src/scoring/model/risk-model';
import { verdictKey } from '../../agent/src/scoring/windows/window-pipeline';
import { TRIAGE_DELAY_MS, truthfulTriage } from './triage';

const DAY = 86_400_000;
const alert = (user: string, day: number, labels: string[]) =>
  ({ user, start: day * DAY, end: (day + 1) * DAY, alert: true, labels }) as unknown as ScoreResult;

describe("the evaluation's analyst", () => {
  it('closes each alert with the truth once a day has passed since its window ended', () => {
    const alerted = [alert('nurse', 1, ['usb_theft_over_days']), alert('clerk', 1, []), alert('clerk', 3, [])];
    const verdicts = truthfulTriage(alerted, 2 * DAY + TRIAGE_DELAY_MS);
    expect([...verdicts]).toEqual([
      [verdictKey('nurse', DAY), 'never'],
      [verdictKey('clerk', DAY), 'learn'],
    ]);
    expect(truthfulTriage(alerted, 2 * DAY + TRIAGE_DELAY_MS - 1).size).toBe(0);
  });
});
