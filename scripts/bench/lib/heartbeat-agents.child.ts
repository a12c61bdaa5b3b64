// A child process of the streams bench (streams.bench.ts): holds one Session stream
// per agent it was given, each on its own TLS connection with the agent's own
// certificate, and sends a heartbeat on each every interval, as an idle agent does.
// The manager answers no heartbeat, so its round trip is measured on probe agents
// (every `probeEvery`-th): after each heartbeat a probe sends an empty event batch
// and waits for its Ack; the manager handles a stream's messages in order, so the Ack
// leaves only after the heartbeat was stored. Talks to the bench over IPC.
import { readFileSync } from 'node:fs';
import { credentials, type ClientDuplexStream } from '@grpc/grpc-js';
import { AgentServiceClient, type AgentMessage, type ManagerMessage } from '@wardwatch/proto';
import type { SeededAgent } from './seeded-agents';

export interface HolderInit {
  type: 'init';
  address: string;
  caPem: string;
  /** JSON file with this child's agents and their indexes in the whole fleet. */
  agentsFile: string;
  heartbeatMs: number;
  probeEvery: number;
  /** Streams being opened at once by this child. */
  openConcurrency: number;
  openTimeoutMs: number;
}

export type HolderCommand = HolderInit | { type: 'open'; upTo: number } | { type: 'sample' } | { type: 'stop' };

export interface HolderSample {
  type: 'sample';
  held: number;
  /** Streams that never came up, and streams that were up and ended, since the start. */
  failedToOpen: number;
  dropped: number;
  /** Heartbeat round trips (ms) since the last sample. */
  roundTrips: number[];
  /** The first few failure reasons since the start. */
  reasons: string[];
  rssBytes: number;
}

export type HolderReply = { type: 'opened'; held: number; failedToOpen: number } | HolderSample;

interface FleetEntry {
  index: number;
  agent: SeededAgent;
}

const ACK_OF_OPEN = 1;

class HeldStream {
  private readonly client: AgentServiceClient;
  private readonly call: ClientDuplexStream<AgentMessage, ManagerMessage>;
  private sequence = ACK_OF_OPEN;
  private probeSentAt = 0;
  nextHeartbeatAt = 0;
  up = false;
  ended = false;

  constructor(
    init: HolderInit,
    private readonly entry: FleetEntry,
    private readonly events: {
      onUp(stream: HeldStream): void;
      onEnd(stream: HeldStream, reason: string): void;
      onRoundTrip(ms: number): void;
    },
  ) {
    const tls = credentials.createSsl(
      Buffer.from(init.caPem),
      Buffer.from(entry.agent.privateKeyPem),
      Buffer.from(entry.agent.certificatePem),
    );
    // The agent's channel settings (agent/src/transport/grpc-clients.ts); a connection of its own.
    this.client = new AgentServiceClient(init.address, tls, {
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.use_local_subchannel_pool': 1,
      'grpc.ssl_target_name_override': 'localhost',
    });
    this.call = this.client.session();
    this.call.on('data', (message: ManagerMessage) => {
      if (message.body?.$case !== 'ack') return;
      const acked = Number(message.body.value.sequence);
      if (acked === ACK_OF_OPEN && !this.up) {
        this.up = true;
        this.nextHeartbeatAt = Date.now() + Math.random() * init.heartbeatMs;
        this.events.onUp(this);
      } else if (acked === this.sequence && this.probeSentAt > 0) {
        this.events.onRoundTrip(performance.now() - this.probeSentAt);
        this.probeSentAt = 0;
      }
    });
    this.call.on('error', (error: Error) => this.end(error.message));
    this.call.on('end', () => this.end('the manager ended the stream'));
    const host = entry.agent;
    this.call.write({
      body: {
        $case: 'hello',
        value: {
          commandKeyIds: [],
          agentVersion: '0.1.0',
          host: { hostname: host.hostname, os: 'linux', osVersion: '6.1', agentVersion: '0.1.0' },
          fleetModelVersion: '',
        },
      },
    });
    // An empty batch: its Ack says the manager took the stream (identity checked, Hello stored).
    this.call.write({ body: { $case: 'events', value: { sequence: ACK_OF_OPEN, events: [], dropped: {} } } });
  }

  heartbeat(now: number, init: HolderInit): void {
    this.nextHeartbeatAt = now + init.heartbeatMs;
    this.call.write({
      body: {
        $case: 'heartbeat',
        value: {
          timeMs: now,
          stats: {
            eventsSent: 0,
            eventsDropped: 0,
            queueLength: 0,
            cpuPercent: 0.4,
            rssBytes: 90_000_000,
            droppedByReason: {},
            outboxBytes: 0,
          },
          components: [],
        },
      },
    });
    if (this.entry.index % init.probeEvery !== 0 || this.probeSentAt > 0) return;
    this.sequence += 1;
    this.probeSentAt = performance.now();
    this.call.write({ body: { $case: 'events', value: { sequence: this.sequence, events: [], dropped: {} } } });
  }

  end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.events.onEnd(this, reason);
    this.close();
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }
}

function main(): void {
  let init: HolderInit | undefined;
  let fleet: FleetEntry[] = [];
  let opened = 0;
  const streams: HeldStream[] = [];
  let held = 0;
  let failedToOpen = 0;
  let dropped = 0;
  let roundTrips: number[] = [];
  const reasons: string[] = [];
  const note = (reason: string) => {
    if (reasons.length < 5) reasons.push(reason);
  };
  const send = (reply: HolderReply) => process.send?.(reply);

  const open = async (upTo: number) => {
    const config = init!;
    const todo = fleet.filter((e) => e.index < upTo).slice(opened);
    opened += todo.length;
    let next = 0;
    const one = (entry: FleetEntry) =>
      new Promise<void>((resolve) => {
        const stream = new HeldStream(config, entry, {
          onUp: () => {
            clearTimeout(timer);
            held += 1;
            resolve();
          },
          onEnd: (s, reason) => {
            clearTimeout(timer);
            note(reason);
            if (s.up) {
              held -= 1;
              dropped += 1;
            } else {
              failedToOpen += 1;
              resolve();
            }
          },
          onRoundTrip: (ms) => roundTrips.push(ms),
        });
        // The stream's callbacks run on later turns, after the timer exists.
        const timer = setTimeout(() => stream.end(`not up within ${config.openTimeoutMs} ms`), config.openTimeoutMs);
        streams.push(stream);
      });
    const worker = async () => {
      for (let i = next++; i < todo.length; i = next++) await one(todo[i]);
    };
    await Promise.all(Array.from({ length: config.openConcurrency }, worker));
    send({ type: 'opened', held, failedToOpen });
  };

  // One timer for all streams: a heartbeat for each whose time has come.
  const beat = setInterval(() => {
    if (!init) return;
    const now = Date.now();
    for (const s of streams) if (s.up && !s.ended && s.nextHeartbeatAt <= now) s.heartbeat(now, init);
  }, 100);

  process.on('message', (command: HolderCommand) => {
    switch (command.type) {
      case 'init':
        init = command;
        fleet = JSON.parse(readFileSync(command.agentsFile, 'utf8')) as FleetEntry[];
        return;
      case 'open':
        void open(command.upTo);
        return;
      case 'sample':
        send({
          type: 'sample',
          held,
          failedToOpen,
          dropped,
          roundTrips,
          reasons,
          rssBytes: process.memoryUsage.rss(),
        });
        roundTrips = [];
        return;
      case 'stop':
        clearInterval(beat);
        for (const s of streams) s.close();
        process.disconnect?.();
        setTimeout(() => process.exit(0), 500);
    }
  });
}

main();
