// One agent's Session stream. The peer is identified from its client certificate
// before anything is read; then its messages are handled in order, one at a time, so acks
// go out in sequence order (what each kind does: session-messages.ts), and the end of the
// stream marks it offline.
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
import type { CloseKind, LiveSession } from '../agents/agent-sessions.registry';
import type { RefusalReason } from '../intake/intake.counters';
import { bounded } from '../logging/bounded';
import { decodeScreened, type ScreenedMessage } from './agent-message.screen';
import { identifyPeer } from './peer-identity';
import { handleAgentMessage, type SessionContext, type SessionDeps } from './session-messages';

export type SessionStream = ServerDuplexStream<ScreenedMessage, ManagerMessage>;

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

  const context: SessionContext = {
    agentId,
    hostname,
    deps,
    write: (message) => live.send(message),
    malformed: (count) => (malformed += count),
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
    await handleAgentMessage(context, message);
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
