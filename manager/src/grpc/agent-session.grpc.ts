// One agent's Session stream. The peer is identified from its client certificate
// before anything is read. Then: Hello marks it online, each EventBatch is stored
// and acknowledged with its sequence only after commit, Heartbeat updates last
// seen and stats, the end of the stream marks it offline. Batches are handled in
// order, one at a time, so acks go out in sequence order.
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { AgentMessage, ManagerMessage } from '@wardwatch/proto';
import type { AgentSessionsRegistry, LiveSession } from '../agents/agent-sessions.registry';
import type { AgentService } from '../agents/agent.service';
import type { ScoreIngestService } from '../alerts/score-ingest.service';
import type { EventIngestService } from '../events/event-ingest.service';
import type { FleetModelFiles } from '../fleet-model/fleet-model.store';
import type { JsonLogger } from '../logging/json-logger';
import { identifyPeer, type PeerChecks } from './peer-identity';

export type SessionStream = ServerDuplexStream<AgentMessage, ManagerMessage>;

export interface SessionDeps {
  checks: PeerChecks;
  agents: AgentService;
  ingest: EventIngestService;
  /** Risk scores from the agent's local scoring (acknowledged with ScoreAck). */
  scores?: ScoreIngestService;
  /** The fleet model sent after Hello to an agent that does not have it. */
  fleetModel?: FleetModelFiles;
  sessions: AgentSessionsRegistry;
  log: JsonLogger;
}

/** Malformed messages after which the stream is closed: an agent that keeps sending them is broken. */
const MAX_MALFORMED = 100;

export function createSessionHandler(deps: SessionDeps) {
  return (call: SessionStream): void => {
    void runSession(call, deps);
  };
}

async function runSession(call: SessionStream, deps: SessionDeps): Promise<void> {
  const { log } = deps;
  const peer = call.getPeer();
  // Messages may arrive while we check the certificate: hold them until we know who it is.
  const early: AgentMessage[] = [];
  const hold = (message: AgentMessage) => early.push(message);
  call.on('data', hold);
  call.on('error', () => undefined);

  const verdict = await identifyPeer(call.getAuthContext(), deps.checks).catch((error: unknown) => {
    log.error('session identity check failed', { error, peer });
    return { ok: false as const, code: status.INTERNAL, message: 'identity check failed on the manager' };
  });
  if (!verdict.ok) {
    log.warn('session refused', { reason: verdict.message, peer });
    call.emit('error', { code: verdict.code, details: verdict.message });
    return;
  }
  const agentId = verdict.agent.id;
  let hostname = verdict.agent.hostname;
  let malformed = 0;
  let ended = false;
  let queue = Promise.resolve();

  const live: LiveSession = {
    close: (reason, kind) => {
      if (ended) return;
      log.info('closing agent session', { agentId, reason });
      call.emit('error', { code: kind === 'refused' ? status.PERMISSION_DENIED : status.UNAVAILABLE, details: reason });
      finish();
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
  log.info('agent connected', { agentId, hostname, peer });

  const handle = async (message: AgentMessage): Promise<void> => {
    if (ended) return;
    const body = message.body;
    switch (body?.$case) {
      case 'hello': {
        const host = body.value.host;
        if (host?.hostname) hostname = host.hostname.slice(0, 255);
        await deps.agents.markOnline(agentId, {
          hostname: hostname,
          os: (host?.os ?? '').slice(0, 32),
          osVersion: (host?.osVersion ?? '').slice(0, 128),
          agentVersion: (body.value.agentVersion || host?.agentVersion || '').slice(0, 64),
        });
        sendFleetModel(body.value.fleetModelVersion ?? '');
        return;
      }
      case 'scores': {
        if (!deps.scores) return;
        const result = await deps.scores.ingest(agentId, body.value);
        if (result.rejected.length > 0) {
          malformed += result.rejected.length;
          log.warn('scores rejected', {
            agentId,
            sequence: body.value.sequence,
            count: result.rejected.length,
            first: result.rejected[0],
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
        if (Object.keys(body.value.dropped).length > 0)
          log.info('agent reported dropped events', { agentId, dropped: body.value.dropped });
        if (result.rejected.length > 0) {
          malformed += result.rejected.length;
          log.warn('events rejected', {
            agentId,
            sequence: body.value.sequence,
            count: result.rejected.length,
            first: result.rejected[0],
          });
        }
        log.debug('batch stored', {
          agentId,
          sequence: body.value.sequence,
          stored: result.stored,
          duplicates: result.duplicates,
          alerts: result.alerts,
        });
        if (!ended) call.write({ body: { $case: 'ack', value: { sequence: body.value.sequence } } });
        await deps.agents.touch(agentId);
        return;
      }
      case 'heartbeat': {
        const s = body.value.stats;
        await deps.agents.touch(
          agentId,
          s
            ? {
                eventsSent: s.eventsSent,
                eventsDropped: s.eventsDropped,
                queueLength: s.queueLength,
                cpuPercent: s.cpuPercent,
                rssBytes: s.rssBytes,
              }
            : undefined,
        );
        return;
      }
      case 'commandResult':
        log.info('command result', { agentId, commandId: body.value.commandId.slice(0, 64), ok: body.value.ok });
        return;
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

  const enqueue = (message: AgentMessage) => {
    queue = queue
      .then(() => handle(message))
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
  call.on('end', () => {
    void queue.then(() => call.end());
    finish();
  });
  call.on('error', () => finish());
  call.on('close', () => finish());
  call.on('cancelled', () => finish());
}
