// Verdict feedback on SQLite and PostgreSQL: closing an alert sends its verdict to the agent
// whose scores raised it, at once when its stream is up; an agent's Hello gets the verdicts
// of the last 30 days on its scores, newest first, and another agent gets none of them.
import { Verdict, type ManagerMessage, type Score } from '@wardwatch/proto';
import { AlertTransitionRequest } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import type { LiveSession } from '../../agents/agent-sessions.registry';
import { databaseForTests } from '../../testing/engine-database.fixture';
import { testEngines } from '../../testing/test-engines.fixture';
import { AlertEntity } from '../alert.entity';
import { VERDICT_RESEND_DAYS } from './verdict-feedback.service';
import { hourlyScore } from '../../testing/hourly-score.fixture';

const HOUR = 3_600_000;
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 8 * HOUR;
const USER = 'u_00112233aabbccdd';

const score = (id: string, value: number, windowStart: number, partial = false): Score =>
  hourlyScore(id, value, windowStart, { user: USER, partial, modelSource: 'own' });

/** The stream of a connected agent, as the session registers it: what the manager wrote down it. */
function connected(sessions: { add(agentId: string, session: LiveSession): void }, agentId: string) {
  const written: ManagerMessage[] = [];
  sessions.add(agentId, { close: () => undefined, send: (message) => written.push(message) > 0 });
  return written;
}

const verdictsIn = (messages: ManagerMessage[]) =>
  messages.flatMap((m) => (m.body?.$case === 'scoreVerdicts' ? [m.body.value.verdicts] : []));

describe.each(testEngines)('verdict feedback on $name', (engine) => {
  const open = databaseForTests(engine);

  it.skipIf(engine.skip)(
    "sends a closed alert's verdict to its agent at once and again after each Hello, within 30 days",
    async () => {
      const { scoreIngest, alertTriage, verdictFeedback, agentSessions } = open.services;
      // agent-a's partial and full scores of one window raised one alert; another window a second.
      await scoreIngest.ingest('agent-a', {
        sequence: 1,
        scores: [
          score('s1', 20, T0 - HOUR),
          score('s2', 90, T0, true),
          score('s3', 88, T0),
          score('s4', 75, T0 + HOUR),
        ],
      });
      await scoreIngest.ingest('agent-b', { sequence: 1, scores: [score('b1', 30, T0)] });
      const alerts = await open.db.getRepository(AlertEntity).find({ where: { agentId: 'agent-a' } });
      const alertAt = (start: number) => alerts.find((a) => a.windowStart === start)!;
      expect(alerts).toHaveLength(2);

      const agentA = connected(agentSessions, 'agent-a');
      const agentB = connected(agentSessions, 'agent-b');
      const close = (alert: AlertEntity, verdict: string) =>
        alertTriage.transition(
          alert.id,
          'ana.lyst',
          AlertTransitionRequest.parse({ action: 'close', revision: alert.revision, verdict }),
        );
      const first = await close(alertAt(T0), 'false_positive');
      const decidedAt = first.closedAt!;
      const [pushed] = verdictsIn(agentA);
      expect([...pushed].sort((a, b) => a.scoreId.localeCompare(b.scoreId))).toEqual(
        ['s2', 's3'].map((scoreId) => ({
          scoreId,
          windowStartMs: T0,
          user: USER,
          verdict: Verdict.VERDICT_FALSE_POSITIVE,
          decidedAtMs: decidedAt,
        })),
      );
      expect(agentB).toEqual([]);

      await new Promise((resolve) => setTimeout(resolve, 5));
      await close(alertAt(T0 + HOUR), 'true_positive');
      expect(verdictsIn(agentA)[1]).toEqual([
        expect.objectContaining({ scoreId: 's4', windowStartMs: T0 + HOUR, verdict: Verdict.VERDICT_TRUE_POSITIVE }),
      ]);

      // After a Hello: every verdict on the agent's scores, newest decision first; none for agent-b.
      agentA.length = 0;
      expect(await verdictFeedback.hello('agent-a')).toBe(3);
      const [resent] = verdictsIn(agentA);
      expect(resent.map((v) => [v.scoreId, v.verdict])).toEqual([
        ['s4', Verdict.VERDICT_TRUE_POSITIVE],
        ['s2', Verdict.VERDICT_FALSE_POSITIVE],
        ['s3', Verdict.VERDICT_FALSE_POSITIVE],
      ]);
      expect(await verdictFeedback.hello('agent-b')).toBe(0);
      expect(agentB).toEqual([]);

      // A verdict decided more than 30 days ago is not sent again.
      await open.db
        .getRepository(AlertEntity)
        .update({ id: alertAt(T0).id }, { closedAt: Date.now() - (VERDICT_RESEND_DAYS + 1) * 86_400_000 });
      agentA.length = 0;
      expect(await verdictFeedback.hello('agent-a')).toBe(1);
      expect(verdictsIn(agentA)[0].map((v) => v.scoreId)).toEqual(['s4']);

      // An agent offline when the alert closed is not written to (its Hello brings it).
      await scoreIngest.ingest('agent-c', { sequence: 1, scores: [score('c1', 95, T0)] });
      const [alertC] = await open.db.getRepository(AlertEntity).find({ where: { agentId: 'agent-c' } });
      await expect(close(alertC, 'benign')).resolves.toMatchObject({ status: 'closed', verdict: 'benign' });
      const agentC = connected(agentSessions, 'agent-c');
      expect(await verdictFeedback.hello('agent-c')).toBe(1);
      expect(verdictsIn(agentC)).toEqual([
        [expect.objectContaining({ scoreId: 'c1', verdict: Verdict.VERDICT_BENIGN })],
      ]);
    },
  );
});
