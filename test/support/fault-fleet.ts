// A manager and one agent as real processes for the fault tests: fixed ports and
// data folders, so either can be SIGKILLed and started again as the same install;
// a writer that makes files in the agent's watched folder at a steady rate; and
// the check that the database holds exactly what the agent accepted (per-agent
// Event.sequence 1..N, no gap, no repeat, N from the agent's own outbox).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentStatus } from '@wardwatch/shared';
import type { LogLine, ServiceProcess } from '../../scripts/lib/child-process';
import {
  createEnrollmentToken,
  startAgent,
  startManager,
  writeAgentConfig,
  type ManagerOptions,
  type RunningManager,
} from '../../scripts/lib/wardwatch';
import type { DatabaseConfig } from '../../manager/src/config/config.schema';
import { openDatabase } from '../../manager/src/database/data-source.factory';
import { managerEntities } from '../../manager/src/entities';
import { EventRepository, type SequenceReport } from '../../manager/src/events/event.repository';
import { ADMIN_PASSWORD, assertBuilt, eventually } from './fleet';
import { LinkProxy } from './link-proxy';
import { freePort } from './private-postgres';

export interface FaultFleetOptions {
  /** A PostgreSQL URL; absent = the manager's embedded SQLite file. */
  databaseUrl?: string;
  /** Puts a LinkProxy between the agent and the manager's gRPC port. */
  proxy?: boolean;
}

interface RunningAgent {
  process: ServiceProcess;
  agentId: string;
  localApiPort: number;
}

export class FaultFleet {
  manager!: RunningManager;
  agent!: RunningAgent;
  proxy: LinkProxy | null = null;
  private writer: NodeJS.Timeout | null = null;
  private written = 0;

  private constructor(
    readonly root: string,
    private readonly managerOptions: ManagerOptions,
    private readonly database: DatabaseConfig,
    private readonly watched: string,
    private agentConfig = '',
  ) {}

  static async start(options: FaultFleetOptions = {}): Promise<FaultFleet> {
    assertBuilt();
    const root = mkdtempSync(join(tmpdir(), 'wardwatch-faults-'));
    const watched = join(root, 'patient-records');
    mkdirSync(watched, { recursive: true });
    const dataDir = join(root, 'manager');
    const managerOptions: ManagerOptions = {
      dataDir,
      httpPort: await freePort(),
      grpcPort: await freePort(),
      env: {
        WARDWATCH_ADMIN_PASSWORD: ADMIN_PASSWORD,
        WARDWATCH_GRPC_HOST: '127.0.0.1',
        WARDWATCH_MFA_REQUIRED_ROLES: 'none',
        WARDWATCH_SINGLE_PERSON_SITE: 'end-to-end tests act as one person',
        // Local-key mode on purpose: these tests hold ingest to exactly-once at a stream of 40 new
        // file names a second, beyond what OPRF mode evaluates per agent (600 a minute); OPRF
        // through a manager outage is test/e2e/oprf-pseudonyms.e2e.test.ts.
        WARDWATCH_PSEUDONYM_MODE: 'local-key',
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      },
    };
    const database: DatabaseConfig = options.databaseUrl
      ? { kind: 'postgres', url: options.databaseUrl, schema: undefined }
      : { kind: 'sqlite', file: join(dataDir, 'wardwatch.sqlite') };
    const fleet = new FaultFleet(root, managerOptions, database, watched);
    try {
      await fleet.startManager();
      const { token } = await createEnrollmentToken(managerOptions);
      let port = fleet.manager.grpcPort;
      if (options.proxy) {
        fleet.proxy = await LinkProxy.start({ host: '127.0.0.1', port });
        port = fleet.proxy.port;
      }
      fleet.agentConfig = writeAgentConfig({
        dataDir: join(root, 'agent'),
        managerAddress: `127.0.0.1:${port}`,
        caFingerprint: fleet.manager.caFingerprint,
        token,
        watchFolders: [{ path: watched, class: 'phi' }],
        heartbeatSeconds: 1,
      });
      await fleet.startAgent();
      await fleet.agent.process.waitForLog((line) => line.msg === 'agent connected', 60_000);
      return fleet;
    } catch (error) {
      await fleet.stop();
      throw error;
    }
  }

  async startManager(): Promise<void> {
    this.manager = await startManager(this.managerOptions);
  }

  /** SIGKILL: no shutdown hook runs, the OS closes its sockets and files. */
  async killManager(): Promise<void> {
    this.manager.process.child.kill('SIGKILL');
    await this.manager.process.exited;
  }

  async startAgent(): Promise<void> {
    const proc = startAgent(this.agentConfig);
    const ready = await proc
      .waitForLog((line) => line.msg === 'agent ready', 60_000)
      .catch(async (error: unknown) => {
        await proc.stop();
        throw error;
      });
    this.agent = { process: proc, agentId: String(ready.agentId), localApiPort: Number(ready.localApiPort) };
  }

  async killAgent(): Promise<void> {
    this.agent.process.child.kill('SIGKILL');
    await this.agent.process.exited;
  }

  /** Files at `perSecond` in the watched folder (each is at least one file event) until `stopWriting`. */
  startWriting(perSecond: number): void {
    this.writer = setInterval(() => {
      const n = this.written++;
      writeFileSync(join(this.watched, `note-${String(n).padStart(6, '0')}.txt`), `ward note ${n}\n`);
    }, 1_000 / perSecond);
  }

  stopWriting(): number {
    if (this.writer) clearInterval(this.writer);
    this.writer = null;
    return this.written;
  }

  /** The agent's status from its local API (token and port of the running process). */
  async agentStatus(): Promise<AgentStatus> {
    const token = readFileSync(join(this.root, 'agent', 'local-api.token'), 'utf8').trim();
    const response = await fetch(`http://127.0.0.1:${this.agent.localApiPort}/v1/status`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`agent status: ${response.status}`);
    return AgentStatus.parse(await response.json());
  }

  /** Waits until the agent has accepted `atLeast` more events than it had (the stream flows). */
  async waitForAccepted(atLeast: number, timeoutMs: number): Promise<void> {
    const start = (await this.agentStatus()).counts.collected;
    await eventually(
      async () => ((await this.agentStatus()).counts.collected >= start + atLeast ? true : undefined),
      timeoutMs,
      `${atLeast} more events collected by the agent`,
    );
  }

  /**
   * Stops the writer, waits until the agent has sent everything (nothing queued,
   * nothing collected for a while), stops it cleanly and returns what it accepted
   * over its life: the sequence of its newest event, from its outbox.
   */
  async drainAndStopAgent(timeoutMs: number): Promise<{ accepted: number; dropped: number; unsent: number }> {
    this.stopWriting();
    let last = -1;
    let quietSince = Date.now();
    await eventually(
      async () => {
        const status = await this.agentStatus();
        const collected = status.counts.collected;
        if (collected !== last) [last, quietSince] = [collected, Date.now()];
        return status.counts.queued === 0 && Date.now() - quietSince > 2_000 ? true : undefined;
      },
      timeoutMs,
      'the agent to send everything it collected',
    );
    const dropped = (await this.agentStatus()).counts.dropped;
    const stopped = this.agent.process.waitForLog((line: LogLine) => line.msg === 'agent stopped', 30_000);
    await this.agent.process.stop(20_000);
    const line = await stopped;
    return { accepted: Number(line.lastSequence), dropped, unsent: Number(line.unsent) };
  }

  /** The manager's view of the agent's sequence, read through the manager's own repository. */
  async sequenceReport(): Promise<SequenceReport | undefined> {
    const db = await openDatabase(this.database, managerEntities);
    try {
      return (await new EventRepository(db).sequenceReports(this.agent.agentId))[0];
    } finally {
      await db.destroy();
    }
  }

  /** Both processes' last output lines, for a failing test's message. */
  tail(lines = 30): string {
    const last = (proc: ServiceProcess | undefined) => proc?.output.slice(-lines).join('\n') ?? '';
    return `--- manager ---\n${last(this.manager?.process)}\n--- agent ---\n${last(this.agent?.process)}`;
  }

  async stop(): Promise<void> {
    this.stopWriting();
    await this.agent?.process.stop();
    await this.manager?.process.stop();
    await this.proxy?.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Exactly once: the database holds 1..accepted for the agent, each once, and nothing else. */
export function exactlyOnce(accepted: number): Omit<SequenceReport, 'agentId'> {
  return {
    events: accepted,
    numbered: accepted,
    min: accepted > 0 ? 1 : null,
    max: accepted > 0 ? accepted : null,
    distinct: accepted,
    duplicates: 0,
    missing: 0,
  };
}
