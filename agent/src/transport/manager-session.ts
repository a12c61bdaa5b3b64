// The one long-lived stream to the manager over mutual TLS. Sends Hello, then
// event batches from the outbox and heartbeats; handles Ack, PolicyUpdate and the
// unsigned Command (always refused: signed commands go to response/ through a channel). When the stream breaks, unacknowledged batches go back to the
// outbox and the session reconnects after a backoff with jitter.
import { status } from '@grpc/grpc-js';
import type { AgentServiceClient, AgentStats, ComponentHealth, Hello, ManagerMessage } from '@wardwatch/proto';
import { CommandOutcome } from '@wardwatch/proto';
import type { Backoff } from '@wardwatch/shared/agent';
import type { Logger } from '../logging/logger';
import type { Outbox } from '../outbox/outbox';
import { isServiceError } from './grpc-clients';
import { EncodedAgentMessage, openSessionCall, type OutgoingMessage, type SessionCall } from './session-call';
import type { SessionChannel } from './session-channel';

export interface SessionListener {
  connected(): void;
  disconnected(error: string): void;
}

export interface SessionOptions {
  managerAddress: string;
  createClient(): AgentServiceClient;
  outbox: Outbox;
  hello: Hello;
  stats(): AgentStats;
  /** Every collector and local service with its state, for the heartbeat. */
  components?: () => ComponentHealth[];
  logger: Logger;
  backoff: Backoff;
  listener?: SessionListener;
  heartbeatMs: number;
  connectTimeoutMs?: number;
  batchSize?: number;
  /** How long new events wait for company before a batch goes out. */
  flushDelayMs?: number;
  maxInFlightBatches?: number;
  /** Silence after Hello that counts as an accepted stream. */
  confirmAfterMs?: number;
  /** Further traffic on the same stream (scores, fleet model). */
  channels?: SessionChannel[];
}

type Call = SessionCall;

export class ManagerSession {
  private client: AgentServiceClient | null = null;
  private call: Call | null = null;
  private connected = false;
  private stopping = false;
  private waitingForDrain = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private confirmTimer: NodeJS.Timeout | null = null;
  private readonly log: Logger;

  constructor(private readonly options: SessionOptions) {
    this.log = options.logger.child({ component: 'session', manager: options.managerAddress });
  }

  start(): void {
    void this.connect();
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** New events are waiting: send them soon, together with whatever else arrives meanwhile. */
  notify(): void {
    if (!this.connected || this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.pump();
    }, this.options.flushDelayMs ?? 100);
  }

  /** Sends what can be sent and waits for its acknowledgement up to `flushMs`, then closes the stream. */
  async stop(flushMs: number): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const deadline = Date.now() + flushMs;
    while (this.connected && this.options.outbox.stats().queued > 0 && Date.now() < deadline) {
      this.pump();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const left = this.options.outbox.stats().queued;
    if (left > 0) this.log.info('stopping with events not acknowledged, kept for the next start', { events: left });
    this.closeStream();
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    let client: AgentServiceClient;
    try {
      client = this.options.createClient();
    } catch (error) {
      // Unusable key or certificate files: keep retrying (an operator can fix them), but say so.
      return this.retryLater(error);
    }
    this.client = client;
    try {
      const timeout = this.options.connectTimeoutMs ?? 10_000;
      await new Promise<void>((resolve, reject) =>
        client.waitForReady(Date.now() + timeout, (error) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      client.close();
      this.client = null;
      return this.retryLater(error);
    }
    if (this.stopping) return this.closeStream();

    const call = openSessionCall(client);
    this.call = call;
    call.on('metadata', () => this.confirm(call));
    call.on('data', (message: ManagerMessage) => {
      this.confirm(call);
      this.onMessage(message);
    });
    call.on('error', (error: Error) => this.onBroken(call, error));
    call.on('end', () => this.onBroken(call, new Error('the manager ended the stream')));
    const hello: Hello = { ...this.options.hello };
    for (const channel of this.options.channels ?? []) Object.assign(hello, channel.helloFields?.());
    call.write({ body: { $case: 'hello', value: hello } });
    // A manager that refuses us does so at once; one that says nothing for a
    // moment has accepted the stream (it need not answer Hello).
    this.confirmTimer = setTimeout(() => this.confirm(call), this.options.confirmAfterMs ?? 500);
  }

  /** The stream is up: from now on batches flow and the backoff starts over. */
  private confirm(call: Call): void {
    if (call !== this.call || this.connected) return;
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.confirmTimer = null;
    this.connected = true;
    this.options.backoff.reset();
    this.log.info('agent connected');
    this.options.listener?.connected();
    this.heartbeatTimer = setInterval(() => this.sendHeartbeat(), this.options.heartbeatMs);
    for (const channel of this.options.channels ?? []) channel.connected((message) => this.write(message));
    this.pump();
  }

  private onMessage(message: ManagerMessage): void {
    const body = message.body;
    switch (body?.$case) {
      case 'ack': {
        const { outbox } = this.options;
        const windowFull = outbox.inFlightBatches >= (this.options.maxInFlightBatches ?? 8);
        const released = outbox.ack(body.value.sequence);
        this.log.debug('batch acknowledged', { sequence: body.value.sequence, events: released });
        // A backlog draining (the window was full): the next batch goes at once. Otherwise what
        // came meanwhile waits the flush delay for company; sent at every ack, a few ms apart,
        // each batch would carry a few events and cost an fsync, a frame and an ack of its own.
        if (windowFull) this.pump();
        else if (outbox.hasWaiting()) this.notify();
        break;
      }
      case 'command':
        // The v1 unsigned Command is never run: only a SignedCommand (response/) is.
        this.log.warn('unsigned command refused', {
          commandId: body.value.commandId,
          action: body.value.action?.$case ?? 'none',
        });
        this.write({
          body: {
            $case: 'commandResult',
            value: {
              commandId: body.value.commandId,
              ok: false,
              message: 'unsigned commands are refused',
              outcome: CommandOutcome.COMMAND_OUTCOME_REFUSED,
              finishedAtMs: Date.now(),
              detailsJson: '',
            },
          },
        });
        break;
      case 'policy':
        this.log.info('policy update received', { ...body.value });
        break;
      default:
        if (!(this.options.channels ?? []).some((channel) => channel.handle(message)))
          this.log.warn('unknown message from the manager ignored');
    }
  }

  /** Moves batches from the outbox into the stream while the window and gRPC flow control allow. */
  private pump(): void {
    const { outbox } = this.options;
    const window = this.options.maxInFlightBatches ?? 8;
    while (this.connected && !this.waitingForDrain && outbox.inFlightBatches < window && outbox.hasWaiting()) {
      const batch = outbox.takeEncodedBatch(this.options.batchSize ?? 500);
      if (!batch) break;
      if (!this.write(EncodedAgentMessage.events(batch.bytes))) {
        this.waitingForDrain = true;
        this.call?.once('drain', () => {
          this.waitingForDrain = false;
          this.pump();
        });
      }
    }
  }

  private sendHeartbeat(): void {
    this.write({
      body: {
        $case: 'heartbeat',
        value: {
          timeMs: Date.now(),
          stats: this.options.stats(),
          components: this.options.components?.() ?? [],
        },
      },
    });
  }

  private write(message: OutgoingMessage): boolean {
    return this.call ? this.call.write(message) : false;
  }

  private onBroken(call: Call, error: Error): void {
    if (call !== this.call) return;
    const wasConnected = this.connected;
    this.closeStream();
    if (this.stopping) return;
    if (wasConnected) this.log.warn('manager connection lost', { error: error.message });
    this.retryLater(error);
  }

  private retryLater(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.options.listener?.disconnected(message);
    if (this.stopping) return;
    const delay = this.options.backoff.next();
    if (isRefusal(error)) {
      // Not a network problem: the manager does not accept this identity (revoked, or its database was reset).
      this.log.error('manager refused this agent, retrying', {
        error: message,
        retryInMs: delay,
        attempt: this.options.backoff.attempts,
        hint: 'if it was revoked or the manager was reset, remove identity.json from the data folder and enroll again',
      });
    } else {
      this.log.warn('manager unreachable, retrying', {
        error: message,
        retryInMs: delay,
        attempt: this.options.backoff.attempts,
      });
    }
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private closeStream(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.heartbeatTimer = this.flushTimer = this.confirmTimer = null;
    this.connected = false;
    this.waitingForDrain = false;
    // Whatever was in flight was not acknowledged: it waits again and is resent.
    this.options.outbox.requeueInFlight();
    for (const channel of this.options.channels ?? []) channel.disconnected();
    const call = this.call;
    this.call = null;
    if (call) {
      call.end();
      call.cancel();
    }
    this.client?.close();
    this.client = null;
  }
}

function isRefusal(error: unknown): boolean {
  return isServiceError(error) && (error.code === status.UNAUTHENTICATED || error.code === status.PERMISSION_DENIED);
}
