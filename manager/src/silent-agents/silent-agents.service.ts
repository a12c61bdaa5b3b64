// Silent agents: an enrolled agent the manager has not heard from (no heartbeat,
// batch or Hello; agents heartbeat every 30 s by default) for `afterMs` raises an
// alert, so that a workstation whose agent was stopped, uninstalled or cut off is
// seen, not just missing from the event stream.
//
// Invariants:
// - one alert per silence episode; an episode is (agent, last contact), and its
//   alert is looked up by that before one is raised, so later ticks, a restart of
//   the manager, or an analyst closing the alert never raise a second one;
// - no alert for an agent never heard from, nor for a revoked one;
// - no alert while the manager itself has been up for less than `afterMs`: its
//   agents were not able to reach it and are reconnecting;
// - an agent heard from again ends its episode: a note on the alert and an audit
//   row (`alert.episode_end`); the alert stays, and its status is the analysts'.
import { Inject, Injectable } from '@nestjs/common';
import { severityNames } from '@wardwatch/shared';
import { AgentService } from '../agents/agent.service';
import { AlertService } from '../alerts/alert.service';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig, type SilentAgentsConfig } from '../config/config.schema';
import { TransactionRunner } from '../database/transaction.runner';
import { returnNote, revokedNote, silenceReason } from './silence-text';

/** Agents looked at per run; a fleet has fewer, so this only bounds a run's work. */
export const MAX_AGENTS_PER_RUN = 10_000;
const MAX_HOSTNAME = 128;

export interface SilenceRun {
  raised: number;
  /** Episodes ended because the agent was heard from again (or revoked). */
  ended: number;
}

@Injectable()
export class SilentAgentsService {
  private readonly settings: SilentAgentsConfig;
  private readonly startedAt: number;
  /** Episodes this process already knows have their alert: agent id → last contact. */
  private readonly alerted = new Map<string, number>();

  constructor(
    private readonly agents: AgentService,
    private readonly alerts: AlertService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) config: Pick<ManagerConfig, 'silentAgents'>,
  ) {
    this.settings = config.silentAgents;
    this.startedAt = clock.now();
  }

  async runOnce(): Promise<SilenceRun> {
    if (this.settings.afterMs === 0) return { raised: 0, ended: 0 };
    const now = this.clock.now();
    const ended = await this.endEpisodes(now);
    if (now - this.startedAt < this.settings.afterMs) return { raised: 0, ended };
    let raised = 0;
    for (const agent of await this.agents.silentSince(now - this.settings.afterMs, MAX_AGENTS_PER_RUN)) {
      const lastSeenAt = agent.lastSeenAt;
      if (lastSeenAt === null || this.alerted.get(agent.id) === lastSeenAt) continue;
      const hostname = agent.hostname.slice(0, MAX_HOSTNAME);
      const id = await this.transactions.run((tx) =>
        this.alerts.raiseEpisode(
          {
            kind: 'agent_silent',
            agentId: agent.id,
            since: lastSeenAt,
            severity: severityNames.indexOf(this.settings.severity),
            title: `Agent silent: ${hostname}`,
            reasons: [silenceReason(hostname, lastSeenAt, now)],
          },
          tx,
        ),
      );
      this.alerted.set(agent.id, lastSeenAt);
      if (id !== undefined) {
        raised += 1;
        this.alerts.announce([{ alertId: id, agentId: agent.id, raised: true }]);
      }
    }
    return { raised, ended };
  }

  /** Ends the episodes of agents heard from since their alert, or revoked meanwhile. */
  private async endEpisodes(now: number): Promise<number> {
    let ended = 0;
    for (const alert of await this.alerts.unendedEpisodes('agent_silent', MAX_AGENTS_PER_RUN)) {
      const since = alert.windowStart ?? 0;
      const agent = await this.agents.find(alert.agentId);
      const gone = !agent || agent.status === 'revoked';
      const back = agent?.lastSeenAt !== null && agent?.lastSeenAt !== undefined && agent.lastSeenAt > since;
      if (!gone && !back) continue;
      const hostname = (agent?.hostname ?? alert.agentId).slice(0, MAX_HOSTNAME);
      const endedAt = gone ? now : agent.lastSeenAt!;
      const note = gone ? revokedNote(hostname, now) : returnNote(hostname, since, endedAt, now);
      await this.transactions.run((tx) => this.alerts.endEpisode(alert, endedAt, note, tx));
      this.alerted.delete(alert.agentId);
      ended += 1;
    }
    return ended;
  }
}
