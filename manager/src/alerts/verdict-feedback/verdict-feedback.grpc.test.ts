// Verdict feedback over the real agents' gRPC port (TLS, the Nest app wired as in production):
// an agent's score raises an alert; closing it sends the verdict down the agent's open stream at
// once, and a later session gets it again after its Hello.
import { Severity, Verdict, type AgentMessage, type ManagerMessage, type ScoreVerdict } from '@wardwatch/proto';
import { AlertTransitionRequest } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTestAgent, hello, type TestAgent } from '../../testing/test-agent.fixture';
import { startTestManager, type TestManager } from '../../testing/test-manager.fixture';
import { AlertTriageService } from '../alert-triage.service';
import { AlertService } from '../alert.service';

const USER = 'u_00112233aabbccdd';
const WINDOW = Date.UTC(2026, 11, 1);

const scores: AgentMessage = {
  body: {
    $case: 'scores',
    value: {
      sequence: 1,
      scores: [
        {
          id: 'score-1',
          windowStartMs: WINDOW,
          windowEndMs: WINDOW + 86_400_000,
          user: USER,
          score: 81.5,
          threshold: 60,
          severity: Severity.SEVERITY_HIGH,
          modelSource: 'own',
          baselineSource: 'user',
          ruleIds: [],
          scoredAtMs: Date.now(),
          partial: false,
          suspects: [],
          reasons: [
            {
              text: 'copied 40 patient files to a USB drive; usual is 0',
              source: 'baseline',
              feature: 'usb',
              ruleId: '',
            },
          ],
        },
      ],
    },
  },
};

const verdictsIn = (got: ManagerMessage[]): ScoreVerdict[][] =>
  got.flatMap((m) => (m.body?.$case === 'scoreVerdicts' ? [m.body.value.verdicts] : []));

describe('verdict feedback on the agent session', () => {
  let manager: TestManager;
  let agent: TestAgent;

  beforeAll(async () => {
    manager = await startTestManager();
    agent = await enrollTestAgent(manager);
  });
  afterAll(async () => {
    agent?.close();
    await manager?.stop();
  });

  it(
    'pushes a verdict to the connected agent when its alert closes, and again after the next Hello',
    { timeout: 20_000 },
    async () => {
      const first = agent.open();
      first.send(hello());
      first.send(scores);
      await first.waitFor((got) => got.some((m) => m.body?.$case === 'scoreAck'));
      // Nothing decided yet: the Hello brought no verdicts.
      expect(verdictsIn(first.got)).toEqual([]);

      const [alert] = (await manager.app.get(AlertService).page(10)).items;
      expect(alert).toMatchObject({ agentId: agent.agentId, user: USER });
      const closed = await manager.app
        .get(AlertTriageService)
        .transition(
          alert.id,
          'admin',
          AlertTransitionRequest.parse({ action: 'close', revision: alert.revision, verdict: 'false_positive' }),
        );
      const expected: ScoreVerdict = {
        scoreId: 'score-1',
        windowStartMs: WINDOW,
        user: USER,
        verdict: Verdict.VERDICT_FALSE_POSITIVE,
        decidedAtMs: closed.closedAt!,
      };
      await first.waitFor((got) => verdictsIn(got).length > 0);
      expect(verdictsIn(first.got)).toEqual([[expected]]);
      first.close();

      // No ack: a new session gets it again after its Hello (the agent de-duplicates).
      const second = agent.open();
      second.send(hello());
      await second.waitFor((got) => verdictsIn(got).length > 0);
      expect(verdictsIn(second.got)).toEqual([[expected]]);
      second.close();
      expect(manager.logs.some((l) => l.msg === 'verdicts sent after hello' && l.verdicts === 1)).toBe(true);
    },
  );
});
