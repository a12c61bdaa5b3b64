// The subject of the tier and rollout database tests: policies/' services wired by hand on
// a real database, a fake clock, a real command key (so deliveries are signed) and a
// recording stream per connected agent.
import { PolicyPayload, type ManagerMessage } from '@wardwatch/proto';
import type { DataSource } from 'typeorm';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import type { AgentEntity } from '../agents/agent.entity';
import { AgentService } from '../agents/agent.service';
import { AgentResponseStateRepository } from '../commands/agent-response-state.repository';
import { AgentSigner } from '../commands/agent-signer';
import { CommandKeySealer } from '../commands/command-key.sealing';
import { CommandKeyRepository } from '../commands/command-key.repository';
import { CommandKeyStore } from '../commands/command-key.store';
import { parseConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { RecordingSession } from './commands.fixture';
import { FakeClock } from './fakes/fakes';
import { servicesOn } from './services.fixture';
import { AgentPolicyRepository } from '../policies/agent-policy.repository';
import { AgentPolicyService } from '../policies/agent-policy.service';
import { PolicyRepository } from '../policies/policy.repository';
import { PolicyService } from '../policies/policy.service';
import { PolicyRolloutRepository } from '../policies/rollout/policy-rollout.repository';
import { PolicyRolloutService } from '../policies/rollout/policy-rollout.service';
import { ThreatSignalsRepository } from '../policies/threat-tiers/threat-signals.repository';
import { ThreatTierService } from '../policies/threat-tiers/threat-tier.service';
import { UnitTierRepository } from '../policies/threat-tiers/unit-tier.repository';

export const MIN = 60_000;

export const workstation = (id: string, unit: string | null = null): AgentEntity => ({
  id,
  hostname: id,
  os: 'linux',
  osVersion: '6',
  version: '0.1.0',
  status: 'online',
  enrolledAt: 1,
  lastSeenAt: null,
  certFingerprint: 'sha256:x',
  stats: null,
  unit,
});

/**
 * The real repository, able to hold its next read back until released: a manager that read
 * the workstations' levels and is slow to act on them, while another one moves them.
 */
export class PausableAgentPolicyRepository extends AgentPolicyRepository {
  private pause: { reached: () => void; released: Promise<void> } | null = null;

  /** The next `findMany` reads, then waits; `reached` resolves once it has read. */
  pauseNextRead(): { reached: Promise<void>; release: () => void } {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached = () => {};
    const read = new Promise<void>((resolve) => (reached = resolve));
    this.pause = { reached, released };
    return { reached: read, release };
  }

  override async findMany(...args: Parameters<AgentPolicyRepository['findMany']>) {
    const rows = await super.findMany(...args);
    const pause = this.pause;
    this.pause = null;
    if (pause) {
      pause.reached();
      await pause.released;
    }
    return rows;
  }
}

export function policyTiersSut(db: DataSource, env: Record<string, string>, start: number) {
  const clock = new FakeClock(start);
  const services = servicesOn(db, clock);
  const config = parseConfig(env, '/');
  const logger = new JsonLogger('error');
  const sessions = new AgentSessionsRegistry();
  const agents = new AgentService(services.repos.agents, services.transactions, clock, services.audit, sessions);
  const rows = new PausableAgentPolicyRepository(db);
  const units = new UnitTierRepository(db);
  const rollouts = new PolicyRolloutService(
    new PolicyRolloutRepository(db),
    rows,
    agents,
    services.transactions,
    services.audit,
    clock,
    config,
  );
  const policies = new PolicyService(
    new PolicyRepository(db),
    rows,
    services.transactions,
    services.audit,
    clock,
    rollouts,
  );
  const keys = new CommandKeyStore(new CommandKeyRepository(db), new CommandKeySealer(Buffer.alloc(32, 7)), clock);
  const states = new AgentResponseStateRepository(db);
  const signer = new AgentSigner(keys, states);
  const agentPolicies = new AgentPolicyService(
    policies,
    rows,
    units,
    rollouts,
    agents,
    signer,
    sessions,
    services.transactions,
    services.audit,
    clock,
    logger,
  );
  const tiers = new ThreatTierService(
    new ThreatSignalsRepository(db),
    rows,
    units,
    agents,
    agentPolicies,
    policies,
    services.alerts,
    services.scoreIngest,
    services.transactions,
    services.audit,
    clock,
    config,
    logger,
  );
  const streams = new Map<string, RecordingSession>();
  /** Opens a recording stream for the agent and says Hello with our pinned keys. */
  const connect = async (agentId: string) => {
    const session = new RecordingSession();
    sessions.add(agentId, session);
    streams.set(agentId, session);
    // What the Session's Hello records (commands/): the keys the agent pinned.
    const keyIds = (await keys.pinned()).map((k) => k.keyId);
    await states.save({ agentId, keyIds, breakGlassUntil: null, maintenanceUntil: null, updatedAt: clock.now() });
    await agentPolicies.hello(agentId, 0, keyIds);
  };
  /** The tier and version of each signed policy the agent's stream received, in order. */
  const received = (agentId: string) =>
    (streams.get(agentId)?.got ?? []).flatMap((m: ManagerMessage) =>
      m.body?.$case === 'signedPolicy' ? [PolicyPayload.decode(m.body.value.payload)] : [],
    );
  const raiseAlert = (agentId: string, severity: number) =>
    services.transactions.run((tx) =>
      services.alerts.raise([{ agentId, severity, score: 0, title: 'test', reasons: [], eventIds: [] }], tx),
    );
  const auditOf = async (action: string) =>
    (await services.audit.list(500)).filter((r) => r.action === action).reverse();
  return {
    clock,
    services,
    agents,
    rows,
    rollouts,
    policies,
    agentPolicies,
    tiers,
    connect,
    received,
    raiseAlert,
    auditOf,
  };
}
