// What each message on an agent's Session stream does, once the stream knows the agent and the
// message passed its caps (agent-session.grpc.ts): Hello marks the agent online and is answered
// with what it lacks; events and scores are stored and acknowledged after commit; heartbeats,
// command results, local actions and compliance reports are recorded. Whatever the agent claims is
// bounded before it is logged; items refused count toward closing a stream that keeps sending them.
import type { AgentMessage, ManagerMessage } from '@wardwatch/proto';
import type { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import type { AgentService } from '../agents/agent.service';
import type { ScoreIngestService } from '../alerts/score-ingest.service';
import type { VerdictFeedbackService } from '../alerts/verdict-feedback/verdict-feedback.service';
import type { CommandSessionPort } from '../commands/command-session.port';
import type { EventIngestService } from '../events/event-ingest.service';
import type { FleetModelFiles } from '../fleet-model/fleet-model.store';
import type { IntakeService } from '../intake/intake.service';
import { bounded, boundedEntries } from '../logging/bounded';
import type { JsonLogger } from '../logging/json-logger';
import type { PolicySessionPort } from '../policies/policy-session.port';
import type { PeerChecks } from './peer-identity';

export interface SessionDeps {
  checks: PeerChecks;
  agents: AgentService;
  ingest: EventIngestService;
  /** Risk scores from the agent's local scoring (acknowledged with ScoreAck). */
  scores?: ScoreIngestService;
  /** The fleet model sent after Hello to an agent that does not have it. */
  fleetModel?: FleetModelFiles;
  sessions: AgentSessionsRegistry;
  intake: IntakeService;
  /** Response commands: queued ones sent after Hello, results and local actions recorded. */
  commands?: Pick<CommandSessionPort, 'hello' | 'result' | 'localAction'>;
  /** Protection policies: the assigned one sent after Hello, compliance reports stored (bounded). */
  policies?: Pick<PolicySessionPort, 'hello' | 'compliance'>;
  /** Analysts' verdicts on the agent's scores of the last 30 days, sent after Hello (no ack: sent after each). */
  verdicts?: Pick<VerdictFeedbackService, 'hello'>;
  log: JsonLogger;
}

/** One live session, as its messages see it. */
export interface SessionContext {
  agentId: string;
  /** Fixed at enrollment: what a Hello claims never renames the agent or its events. */
  hostname: string;
  deps: SessionDeps;
  /** Writes to the agent; false once the session has ended. */
  write: (message: ManagerMessage) => boolean;
  /** Counts items refused as malformed; returns the session's total. */
  malformed: (count: number) => number;
}

type BodyOf<K extends NonNullable<AgentMessage['body']>['$case']> = Extract<
  NonNullable<AgentMessage['body']>,
  { $case: K }
>['value'];

/** Does what the message asks; a message of no kind the manager knows counts as malformed. */
export async function handleAgentMessage(context: SessionContext, message: AgentMessage): Promise<void> {
  const body = message.body;
  switch (body?.$case) {
    case 'hello':
      return onHello(context, body.value);
    case 'scores':
      return onScores(context, body.value);
    case 'events':
      return onEvents(context, body.value);
    case 'heartbeat':
      return onHeartbeat(context, body.value);
    case 'commandResult':
      return onCommandResult(context, body.value);
    case 'localAction':
      return onLocalAction(context, body.value);
    case 'policyCompliance':
      return onPolicyCompliance(context, body.value);
    default: {
      const malformed = context.malformed(1);
      context.deps.log.warn('malformed message ignored', { agentId: context.agentId, malformed });
    }
  }
}

async function onHello(context: SessionContext, hello: BodyOf<'hello'>): Promise<void> {
  const { agentId, deps } = context;
  const host = hello.host;
  const claimed = {
    hostname: (host?.hostname ?? '').slice(0, 255),
    os: (host?.os ?? '').slice(0, 32),
    osVersion: (host?.osVersion ?? '').slice(0, 128),
    agentVersion: (hello.agentVersion || host?.agentVersion || '').slice(0, 64),
  };
  const outcome = await deps.agents.markOnline(agentId, claimed);
  if (outcome.mismatch) {
    deps.intake.counters.count('identity_mismatch');
    deps.log.warn('agent claimed another identity; not applied', {
      agentId,
      enrolledHostname: bounded(context.hostname),
      claimedHostname: bounded(claimed.hostname),
      claimedOs: bounded(claimed.os),
    });
  }
  sendFleetModel(context, hello.fleetModelVersion ?? '');
  const keyIds = hello.commandKeyIds.slice(0, 16);
  await deps.commands?.hello(agentId, keyIds);
  await deps.policies?.hello(agentId, hello.policyRevision ?? 0, keyIds);
  await deps.verdicts?.hello(agentId);
}

async function onScores(context: SessionContext, batch: BodyOf<'scores'>): Promise<void> {
  const { agentId, deps } = context;
  if (!deps.scores) return;
  const result = await deps.scores.ingest(agentId, batch);
  countRejected(context, 'scores rejected', batch.sequence, result.rejected);
  if (result.alertsRaised > 0)
    deps.log.info('alert raised from a risk score', { agentId, alerts: result.alertsRaised });
  deps.log.debug('scores stored', { agentId, sequence: batch.sequence, ...result, rejected: result.rejected.length });
  context.write({ body: { $case: 'scoreAck', value: { sequence: batch.sequence } } });
}

async function onEvents(context: SessionContext, batch: BodyOf<'events'>): Promise<void> {
  const { agentId, deps } = context;
  const result = await deps.ingest.ingest(agentId, context.hostname, batch);
  deps.intake.recordStored(agentId, result.stored);
  if (Object.keys(batch.dropped).length > 0)
    deps.log.info('agent reported dropped events', { agentId, dropped: boundedEntries(batch.dropped) });
  const outOfWindow = result.rejected.filter((r) => r.code === 'event_time').length;
  if (outOfWindow > 0) deps.intake.counters.count('event_time', outOfWindow);
  countRejected(context, 'events rejected', batch.sequence, result.rejected);
  deps.log.debug('batch stored', {
    agentId,
    sequence: batch.sequence,
    stored: result.stored,
    duplicates: result.duplicates,
  });
  context.write({ body: { $case: 'ack', value: { sequence: batch.sequence } } });
  await deps.agents.touch(agentId);
}

async function onHeartbeat({ agentId, deps }: SessionContext, heartbeat: BodyOf<'heartbeat'>): Promise<void> {
  const outcome = await deps.agents.recordHeartbeat(agentId, heartbeat);
  if (!outcome.stored) {
    deps.intake.counters.count('heartbeat_invalid');
    deps.log.warn('heartbeat health not stored', { agentId, reason: bounded(outcome.reason) });
  }
}

async function onCommandResult(context: SessionContext, result: BodyOf<'commandResult'>): Promise<void> {
  const { agentId, deps } = context;
  if (!deps.commands) return;
  const verdict = await deps.commands.result(agentId, result);
  // Results nobody sent it a command for count toward closing a stream that keeps sending them.
  if (verdict === 'ignored') context.malformed(1);
  deps.log.info('command result', { agentId, commandId: bounded(result.commandId, 64), verdict });
  // Acknowledged once stored (or already stored), warnings too, so the agent stops
  // resending it; the outcome says which result (a warning's ack leaves the final one pending).
  if (verdict === 'stored' || verdict === 'duplicate')
    context.write({
      body: { $case: 'commandResultAck', value: { commandId: result.commandId, outcome: result.outcome } },
    });
}

async function onLocalAction({ agentId, deps }: SessionContext, action: BodyOf<'localAction'>): Promise<void> {
  if (!deps.commands) return;
  const recorded = await deps.commands.localAction(agentId, action);
  deps.log.info('local action', { agentId, kind: bounded(action.kind, 32), recorded });
}

async function onPolicyCompliance(context: SessionContext, report: BodyOf<'policyCompliance'>): Promise<void> {
  const { agentId, deps } = context;
  if (!deps.policies) return;
  const outcome = await deps.policies.compliance(agentId, report);
  if (!outcome.stored) {
    context.malformed(1);
    deps.intake.counters.count('compliance_invalid');
    deps.log.warn('policy compliance not stored', { agentId, reason: bounded(outcome.reason ?? '') });
  }
}

/** Items of a batch refused: counted (clear values apart), logged with the first, bounded. */
function countRejected(
  context: SessionContext,
  what: string,
  sequence: number,
  rejected: { code?: string; reason: string }[],
): void {
  const clear = rejected.filter((r) => r.code === 'clear_value').length;
  // Events and scores refused for a clear value where a pseudonym belongs (pseudonym-fields/).
  if (clear > 0) context.deps.intake.counters.count('clear_value', clear);
  if (rejected.length === 0) return;
  context.malformed(rejected.length);
  context.deps.log.warn(what, {
    agentId: context.agentId,
    sequence,
    count: rejected.length,
    first: boundedFirst(rejected[0]),
  });
}

/** The fleet model, to an agent holding another version (or none). */
function sendFleetModel({ agentId, deps, write }: SessionContext, held: string): void {
  let model;
  try {
    model = deps.fleetModel?.current() ?? null;
  } catch (error) {
    deps.log.error('fleet model unreadable, not sent', { agentId, error });
    return;
  }
  if (!model || model.version === held) return;
  if (!write({ body: { $case: 'fleetModel', value: model } })) return;
  deps.log.info('fleet model sent', {
    agentId,
    version: model.version,
    bytes: model.files.reduce((n, f) => n + f.content.length, 0),
  });
}

/** The first rejected item of a batch, for the log: its id and reason bounded. */
function boundedFirst(first: { reason: string } | undefined): Record<string, string> | undefined {
  if (!first) return undefined;
  return Object.fromEntries(Object.entries(first).map(([key, value]) => [key, bounded(value)]));
}
