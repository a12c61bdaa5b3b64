// One agent's Session stream. The peer is identified from its client certificate
// before anything is read. Then: Hello marks it online (and is answered with the fleet model,
// queued commands, the policy and recent analysts' verdicts it may lack), each EventBatch is stored
// and acknowledged with its sequence only after commit, Heartbeat updates last
// seen, stats, drops and components (bounded), the end of the stream marks it offline. Batches are handled in
// order, one at a time, so acks go out in sequence order.
//
// A hostile workstation is expected. Before any per-event work: grpc-js refuses a
// message over WARDWATCH_GRPC_MAX_MESSAGE_BYTES, the deserializer refuses a batch over
// its caps without decoding it (agent-message.screen.ts), and IntakeService refuses a
// batch over the agent's rate or storage quota. A refused batch is counted, never
// acknowledged, and ends the stream with RESOURCE_EXHAUSTED and the reason: an honest
// agent keeps it and resends after its backoff; a flooding one pays a new TLS handshake
// per batch. When messages arrive faster than they are stored, the stream stops being
// read (HTTP/2 flow control pushes back) instead of queueing them in memory.
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { ManagerMessage } from '@wardwatch/proto';
import type { AgentSessionsRegistry, CloseKind, LiveSession } from '../agents/agent-sessions.registry';
import type { AgentService } from '../agents/agent.service';
import type { ScoreIngestService } from '../alerts/score-ingest.service';
import type { VerdictFeedbackService } from '../alerts/verdict-feedback/verdict-feedback.service';
import type { CommandSessionPort } from '../commands/command-session.port';
import type { EventIngestService } from '../events/event-ingest.service';
import type { FleetModelFiles } from '../fleet-model/fleet-model.store';
import type { RefusalReason } from '../intake/intake.counters';
import type { PolicySessionPort } from '../policies/policy-session.port';
import type { IntakeService } from '../intake/intake.service';
import { bounded, boundedEntries } from '../logging/bounded';
import type { JsonLogger } from '../logging/json-logger';
import { decodeScreened, type ScreenedMessage } from './agent-message.screen';
import { identifyPeer, type PeerChecks } from './peer-identity';

export type SessionStream = ServerDuplexStream<ScreenedMessage, ManagerMessage>;

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

/** Malformed messages after which the stream is closed: an agent that keeps sending them is broken. */
const MAX_MALFORMED = 100;
/** Messages read but not yet handled: above this the stream is paused until it drains to half. */
const MAX_PENDING = 16;

const REPLACED = 'a newer session of this agent replaced this one; one session per agent';

const closeCodes: Record<CloseKind, status> = {
  refused: status.PERMISSION_DENIED,
  retry: status.UNAVAILABLE,
  over_limit: status.RESOURCE_EXHAUSTED,
  replaced: status.ABORTED,
};

/** The first rejected item of a batch, for the log: its id and reason bounded. */
function boundedFirst(first: { reason: string } | undefined): Record<string, string> | undefined {
  if (!first) return undefined;
  return Object.fromEntries(Object.entries(first).map(([key, value]) => [key, bounded(value)]));
}

export function createSessionHandler(deps: SessionDeps) {
  return (call: SessionStream): void => {
    void runSession(call, deps);
  };
}

async function runSession(call: SessionStream, deps: SessionDeps): Promise<void> {
  const { log } = deps;
  const peer = call.getPeer();
  // Messages may arrive while we check the certificate: hold them until we know who it is.
  const early: ScreenedMessage[] = [];
  const hold = (message: ScreenedMessage) => {
    early.push(message);
    if (early.length >= MAX_PENDING) call.pause();
  };
  call.on('data', hold);
  call.on('error', () => undefined);

  const verdict = await identifyPeer(call.getAuthContext(), deps.checks).catch((error: unknown) => {
    log.error('session identity check failed', { error, peer });
    return { ok: false as const, code: status.INTERNAL, message: 'identity check failed on the manager' };
  });
  if (!verdict.ok) {
    log.warn('session refused', { reason: verdict.message, peer: bounded(peer) });
    call.emit('error', { code: verdict.code, details: verdict.message });
    return;
  }
  const agentId = verdict.agent.id;
  const welcome = deps.intake.admitSession(agentId);
  if (!welcome.ok) {
    call.off('data', hold);
    log.warn('session refused', { agentId, refusal: welcome.reason });
    call.emit('error', { code: status.RESOURCE_EXHAUSTED, details: welcome.message });
    return;
  }
  // One live session per agent: a newer session replaces the one that is up, which ends
  // with ABORTED. Not the other way round: refusing the newcomer would let whoever holds a
  // copy of the key connect first and lock the real agent out for as long as it likes, and
  // would keep an honest agent out behind its own half-dead stream after a network drop.
  // Replaced, the real agent gets back in at its next reconnect, and every replacement is
  // counted and audited (`agent.session_replaced`), so two holders of one certificate
  // show up at once. No await since identifyPeer: the check and registration are atomic.
  if (deps.sessions.count(agentId) > 0) {
    deps.intake.counters.count('second_session');
    log.warn('agent session replaced by a newer one', { agentId, peer: bounded(peer) });
    deps.sessions.closeAll(agentId, REPLACED, 'replaced');
    void deps.agents
      .recordSecondSession(agentId, peer)
      .catch((error: unknown) => log.error('could not audit a replaced session', { agentId, error }));
  }
  // Fixed at enrollment: what a Hello claims never renames the agent or its events.
  const hostname = verdict.agent.hostname;
  let malformed = 0;
  let ended = false;
  let queue = Promise.resolve();

  const live: LiveSession = {
    close: (reason, kind) => {
      if (ended) return;
      log.info('closing agent session', { agentId, reason: bounded(reason) });
      call.emit('error', { code: closeCodes[kind], details: reason });
      finish();
    },
    send: (message) => {
      if (ended) return false;
      call.write(message);
      return true;
    },
  };
  const finish = () => {
    if (ended) return;
    ended = true;
    deps.sessions.remove(agentId, live);
    deps.sessions.trackEnding(
      queue
        .then(() => deps.agents.markOffline(agentId))
        .catch((error: unknown) => log.error('could not mark agent offline', { agentId, error })),
    );
    log.info('agent disconnected', { agentId });
  };
  deps.sessions.add(agentId, live);
  log.info('agent connected', { agentId, hostname: bounded(hostname), peer: bounded(peer) });

  /** Ends the stream for a message over a limit; `uncounted` when the deciding service counted it already. */
  const refuse = (reason: string, refusal: RefusalReason, uncounted = false) => {
    if (!uncounted) deps.intake.counters.count(refusal);
    log.warn('agent message refused', { agentId, refusal, reason: bounded(reason) });
    live.close(reason, 'over_limit');
  };

  /** Events and scores refused for a clear value where a pseudonym belongs (pseudonym-fields/). */
  const countClearValues = (rejected: { code?: string }[]) => {
    const clear = rejected.filter((r) => r.code === 'clear_value').length;
    if (clear > 0) deps.intake.counters.count('clear_value', clear);
  };

  const handle = async (screened: ScreenedMessage): Promise<void> => {
    if (ended) return;
    if (!screened.ok) {
      refuse(screened.refusal.message, screened.refusal.cap);
      return;
    }
    // Rate and quota before the batch is decoded: the count comes from the wire.
    if (screened.events > 0) {
      const admission = await deps.intake.admitEvents(agentId, screened.events);
      if (!admission.ok) {
        refuse(`event batch ${screened.sequence} refused: ${admission.message}`, admission.reason, true);
        return;
      }
    }
    const message = decodeScreened(screened.bytes);
    if (!message) {
      refuse('the message could not be decoded', 'malformed');
      return;
    }
    const body = message.body;
    switch (body?.$case) {
      case 'hello': {
        const host = body.value.host;
        const claimed = {
          hostname: (host?.hostname ?? '').slice(0, 255),
          os: (host?.os ?? '').slice(0, 32),
          osVersion: (host?.osVersion ?? '').slice(0, 128),
          agentVersion: (body.value.agentVersion || host?.agentVersion || '').slice(0, 64),
        };
        const outcome = await deps.agents.markOnline(agentId, claimed);
        if (outcome.mismatch) {
          deps.intake.counters.count('identity_mismatch');
          log.warn('agent claimed another identity; not applied', {
            agentId,
            enrolledHostname: bounded(hostname),
            claimedHostname: bounded(claimed.hostname),
            claimedOs: bounded(claimed.os),
          });
        }
        sendFleetModel(body.value.fleetModelVersion ?? '');
        const keyIds = body.value.commandKeyIds.slice(0, 16);
        await deps.commands?.hello(agentId, keyIds);
        await deps.policies?.hello(agentId, body.value.policyRevision ?? 0, keyIds);
        await deps.verdicts?.hello(agentId);
        return;
      }
      case 'scores': {
        if (!deps.scores) return;
        const result = await deps.scores.ingest(agentId, body.value);
        countClearValues(result.rejected);
        if (result.rejected.length > 0) {
          malformed += result.rejected.length;
          log.warn('scores rejected', {
            agentId,
            sequence: body.value.sequence,
            count: result.rejected.length,
            first: boundedFirst(result.rejected[0]),
          });
        }
        if (result.alertsRaised > 0)
          log.info('alert raised from a risk score', { agentId, alerts: result.alertsRaised });
        log.debug('scores stored', {
          agentId,
          sequence: body.value.sequence,
          ...result,
          rejected: result.rejected.length,
        });
        if (!ended) call.write({ body: { $case: 'scoreAck', value: { sequence: body.value.sequence } } });
        return;
      }
      case 'events': {
        const result = await deps.ingest.ingest(agentId, hostname, body.value);
        deps.intake.recordStored(agentId, result.stored);
        if (Object.keys(body.value.dropped).length > 0)
          log.info('agent reported dropped events', { agentId, dropped: boundedEntries(body.value.dropped) });
        const outOfWindow = result.rejected.filter((r) => r.code === 'event_time').length;
        if (outOfWindow > 0) deps.intake.counters.count('event_time', outOfWindow);
        countClearValues(result.rejected);
        if (result.rejected.length > 0) {
          malformed += result.rejected.length;
          log.warn('events rejected', {
            agentId,
            sequence: body.value.sequence,
            count: result.rejected.length,
            first: boundedFirst(result.rejected[0]),
          });
        }
        log.debug('batch stored', {
          agentId,
          sequence: body.value.sequence,
          stored: result.stored,
          duplicates: result.duplicates,
        });
        if (!ended) call.write({ body: { $case: 'ack', value: { sequence: body.value.sequence } } });
        await deps.agents.touch(agentId);
        return;
      }
      case 'heartbeat': {
        const outcome = await deps.agents.recordHeartbeat(agentId, body.value);
        if (!outcome.stored) {
          deps.intake.counters.count('heartbeat_invalid');
          log.warn('heartbeat health not stored', { agentId, reason: bounded(outcome.reason) });
        }
        return;
      }
      case 'commandResult': {
        if (!deps.commands) return;
        const verdict = await deps.commands.result(agentId, body.value);
        // Results nobody sent it a command for count toward closing a stream that keeps sending them.
        if (verdict === 'ignored') malformed += 1;
        log.info('command result', { agentId, commandId: bounded(body.value.commandId, 64), verdict });
        // Acknowledged once stored (or already stored), warnings too, so the agent stops
        // resending it; the outcome says which result (a warning's ack leaves the final one pending).
        if ((verdict === 'stored' || verdict === 'duplicate') && !ended)
          call.write({
            body: {
              $case: 'commandResultAck',
              value: { commandId: body.value.commandId, outcome: body.value.outcome },
            },
          });
        return;
      }
      case 'localAction': {
        if (!deps.commands) return;
        const recorded = await deps.commands.localAction(agentId, body.value);
        log.info('local action', { agentId, kind: bounded(body.value.kind, 32), recorded });
        return;
      }
      case 'policyCompliance': {
        if (!deps.policies) return;
        const outcome = await deps.policies.compliance(agentId, body.value);
        if (!outcome.stored) {
          malformed += 1;
          deps.intake.counters.count('compliance_invalid');
          log.warn('policy compliance not stored', { agentId, reason: bounded(outcome.reason ?? '') });
        }
        return;
      }
      default:
        malformed += 1;
        log.warn('malformed message ignored', { agentId, malformed });
    }
  };

  const sendFleetModel = (held: string) => {
    let model;
    try {
      model = deps.fleetModel?.current() ?? null;
    } catch (error) {
      log.error('fleet model unreadable, not sent', { agentId, error });
      return;
    }
    if (!model || model.version === held || ended) return;
    call.write({ body: { $case: 'fleetModel', value: model } });
    log.info('fleet model sent', {
      agentId,
      version: model.version,
      bytes: model.files.reduce((n, f) => n + f.content.length, 0),
    });
  };

  let pending = 0;
  const enqueue = (message: ScreenedMessage) => {
    pending += 1;
    if (pending >= MAX_PENDING) call.pause();
    queue = queue
      .then(() => handle(message))
      .finally(() => {
        pending -= 1;
        if (pending <= MAX_PENDING / 2 && call.isPaused()) call.resume();
      })
      .catch((error: unknown) => {
        // A batch that could not be stored is not acknowledged; the agent resends it on a new stream.
        log.error('could not handle agent message', { agentId, error });
        live.close('the manager could not store a message; reconnect and resend', 'retry');
      });
    void queue.then(() => {
      if (malformed > MAX_MALFORMED) live.close(`too many malformed messages (${malformed})`, 'retry');
    });
  };

  call.off('data', hold);
  call.on('data', enqueue);
  for (const message of early) enqueue(message);
  if (pending < MAX_PENDING && call.isPaused()) call.resume();
  call.on('end', () => {
    void queue.then(() => call.end());
    finish();
  });
  call.on('error', () => finish());
  call.on('close', () => finish());
  call.on('cancelled', () => finish());
}
