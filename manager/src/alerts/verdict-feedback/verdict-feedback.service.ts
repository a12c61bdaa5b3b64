// An analyst's verdict reaches the agent(s) whose scores raised the alert, so that an agent
// learns a false positive at once and never learns a true positive (agent/src/scoring/README.md).
// Pushed when the alert is closed, to each such agent that is connected; and, as there is no
// ack, the last VERDICT_RESEND_DAYS of verdicts on an agent's scores (newest MAX_RESENT) again
// after each of its Hellos: the agent keeps one verdict per window, so a repeat changes nothing.
// Best effort: a failure is logged here and never fails the close nor the session.
import { Injectable } from '@nestjs/common';
import { AgentSessionsRegistry } from '../../agents/agent-sessions.registry';
import { Clock } from '../../common/clock';
import { JsonLogger } from '../../logging/json-logger';
import { ScoreVerdictRepository } from './score-verdict.repository';
import { verdictMessagesByAgent } from './score-verdicts';

/** How far back verdicts are sent again after a Hello (the agent keeps its history 60 days by default). */
export const VERDICT_RESEND_DAYS = 30;
/** Verdicts sent again after one Hello at most, newest decision first. */
export const MAX_RESENT = 500;

@Injectable()
export class VerdictFeedbackService {
  private readonly log: JsonLogger;

  constructor(
    private readonly verdicts: ScoreVerdictRepository,
    private readonly sessions: AgentSessionsRegistry,
    private readonly clock: Clock,
    logger: JsonLogger,
  ) {
    this.log = logger.child('verdict-feedback');
  }

  /** After the alert was closed with a verdict (committed): each of its agents online gets it now. Returns how many did. */
  async alertClosed(alertId: string): Promise<number> {
    try {
      let sent = 0;
      for (const [agentId, message] of verdictMessagesByAgent(await this.verdicts.forAlert(alertId))) {
        // An agent offline now gets it after its next Hello.
        if (this.sessions.send(agentId, message)) sent += 1;
      }
      if (sent > 0) this.log.info('verdict sent to agents', { alertId, agents: sent });
      return sent;
    } catch (error) {
      this.log.error('could not send a verdict to its agents; sent after their next Hello', { alertId, error });
      return 0;
    }
  }

  /** The verdicts of the last VERDICT_RESEND_DAYS on the agent's scores, sent after its Hello. Returns how many. */
  async hello(agentId: string): Promise<number> {
    try {
      const since = this.clock.now() - VERDICT_RESEND_DAYS * 86_400_000;
      const rows = await this.verdicts.recentForAgent(agentId, since, MAX_RESENT);
      const message = verdictMessagesByAgent(rows).get(agentId);
      if (!message || !this.sessions.send(agentId, message)) return 0;
      this.log.info('verdicts sent after hello', { agentId, verdicts: rows.length });
      return rows.length;
    } catch (error) {
      this.log.error('could not send verdicts after hello', { agentId, error });
      return 0;
    }
  }
}
