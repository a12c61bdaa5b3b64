// Blind agents: an agent the manager hears from whose last heartbeat says its
// audit of patient data failed (auditd stopped or killed, the kernel audit off,
// the read rules removed, the patient-data folders unwatched) raises an alert. A
// silent agent is seen by silent-agents/; this one still talks while patient data
// goes unwatched, which is what an insider with root would arrange first.
//
// Invariants:
// - at most one open episode per agent; its key is the manager's time of the
//   heartbeat that first said so (never the agent's clock);
// - the episode ends with a note when a later heartbeat has each part that failed
//   running again (not merely no longer failed: an agent restarted after its read
//   rules were removed says stopped), or the agent is revoked; the alert stays,
//   its status is the analysts';
// - an agent whose last episode ended (its stored end) less than MIN_EPISODE_GAP_MS
//   ago raises no new one: a hostile agent flipping its state costs one alert an
//   hour, not one a minute, across manager restarts too.
import { Inject, Injectable } from '@nestjs/common';
import { severityNames } from '@wardwatch/shared';
import type { AgentEntity } from '../agents/agent.entity';
import { AgentService } from '../agents/agent.service';
import { AlertService } from '../alerts/alert.service';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type BlindAgentsConfig, type ManagerConfig } from '../config/config.schema';
import { TransactionRunner } from '../database/transaction.runner';
import {
  blindReason,
  failedAuditParts,
  partsNamedIn,
  revokedWhileBlindNote,
  seeingAgainNote,
  workingAgain,
} from './blind-parts';

/** Agents looked at per run; a fleet has fewer, so this only bounds a run's work. */
export const MAX_AGENTS_PER_RUN = 10_000;
export const MIN_EPISODE_GAP_MS = 60 * 60_000;
const MAX_HOSTNAME = 128;

export interface BlindRun {
  raised: number;
  ended: number;
}

@Injectable()
export class BlindAgentsService {
  private readonly settings: BlindAgentsConfig;

  constructor(
    private readonly agents: AgentService,
    private readonly alerts: AlertService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) config: Pick<ManagerConfig, 'blindAgents'>,
  ) {
    this.settings = config.blindAgents;
  }

  async runOnce(): Promise<BlindRun> {
    if (this.settings.checkIntervalMs === 0) return { raised: 0, ended: 0 };
    const now = this.clock.now();
    const { ended, open } = await this.endEpisodes(now);
    let raised = 0;
    for (const agent of await this.agents.withHealth(MAX_AGENTS_PER_RUN)) {
      const failed = failedAuditParts(agent.components);
      if (failed.length === 0 || open.has(agent.id) || agent.heartbeatAt == null) continue;
      const lastEnd = await this.alerts.lastEpisodeEnd('agent_blind', agent.id);
      if (lastEnd !== null && now - lastEnd < MIN_EPISODE_GAP_MS) continue;
      if (await this.raise(agent, agent.heartbeatAt, failed.map(blindReason))) raised += 1;
    }
    return { raised, ended };
  }

  private async raise(agent: AgentEntity, since: number, reasons: string[]): Promise<boolean> {
    const hostname = agent.hostname.slice(0, MAX_HOSTNAME);
    const id = await this.transactions.run((tx) =>
      this.alerts.raiseEpisode(
        {
          kind: 'agent_blind',
          agentId: agent.id,
          since,
          severity: severityNames.indexOf(this.settings.severity),
          title: `Audit of patient data failed: ${hostname}`,
          reasons,
        },
        tx,
      ),
    );
    if (id !== undefined) this.alerts.announce([{ alertId: id, agentId: agent.id, raised: true }]);
    return id !== undefined;
  }

  /** Ends the episodes of agents whose audit works again (or revoked); returns the agents still blind. */
  private async endEpisodes(now: number): Promise<{ ended: number; open: Set<string> }> {
    let ended = 0;
    const open = new Set<string>();
    for (const alert of await this.alerts.unendedEpisodes('agent_blind', MAX_AGENTS_PER_RUN)) {
      const since = alert.windowStart ?? 0;
      const agent = await this.agents.find(alert.agentId);
      const gone = !agent || agent.status === 'revoked';
      const reportedAt = agent?.heartbeatAt ?? 0;
      const seeing = !gone && reportedAt > since && workingAgain(agent.components, partsNamedIn(alert.reasons));
      if (!gone && !seeing) {
        open.add(alert.agentId);
        continue;
      }
      const hostname = (agent?.hostname ?? alert.agentId).slice(0, MAX_HOSTNAME);
      const endedAt = gone ? now : reportedAt;
      const note = gone ? revokedWhileBlindNote(hostname, now) : seeingAgainNote(hostname, since, endedAt, now);
      await this.transactions.run((tx) => this.alerts.endEpisode(alert, endedAt, note, tx));
      ended += 1;
    }
    return { ended, open };
  }
}
