// The subject of commands/' unit tests: its services wired on in-memory fakes, a real
// session registry with a recording LiveSession, and real Ed25519 keys.
import { createPublicKey, verify } from 'node:crypto';
import { CommandPayload, type ManagerMessage } from '@wardwatch/proto';
import { AgentSessionsRegistry, type LiveSession } from '../agents/agent-sessions.registry';
import type { AgentEntity } from '../agents/agent.entity';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { JsonLogger, type LogFields } from '../logging/json-logger';
import { InMemoryAgentRepository } from './fakes/agent.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from './fakes/audit.repository.fake';
import {
  InMemoryAgentResponseStateRepository,
  InMemoryCommandKeyRepository,
  InMemoryCommandRepository,
} from './fakes/command.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from './fakes/fakes';
import { AgentReportsService } from '../commands/agent-reports.service';
import { CommandKeySealer } from '../commands/command-key.sealing';
import { CommandKeyStore } from '../commands/command-key.store';
import { CommandKeysService } from '../commands/command-keys.service';
import { CommandRefusals } from '../commands/command-refusals';
import type { IssueCommandRequest } from '../commands/command-issuer';
import { CommandsService } from '../commands/commands.service';

export const testAgent = (id: string, status: AgentEntity['status'] = 'offline'): AgentEntity => ({
  id,
  hostname: `host-${id}`,
  os: 'linux',
  osVersion: '6',
  version: '0.1.0',
  status,
  enrolledAt: 1,
  lastSeenAt: null,
  certFingerprint: 'sha256:x',
  stats: null,
});

export const lockRequest = (agentId: string, over: Partial<IssueCommandRequest> = {}): IssueCommandRequest => ({
  agentId,
  action: { $case: 'lockScreen', value: { user: 'u_1', sessionId: '' } },
  reason: 'Unusual activity.',
  warningSeconds: 30,
  automatic: true,
  dryRun: false,
  expiresInSeconds: 600,
  decision: { source: 'playbook', playbookId: 'pb-1' },
  ...over,
});

/** A live stream that records what is written to it; `up = false` models one that just ended. */
export class RecordingSession implements LiveSession {
  got: ManagerMessage[] = [];
  up = true;
  close(): void {
    this.up = false;
  }
  send(message: ManagerMessage): boolean {
    if (!this.up) return false;
    this.got.push(message);
    return true;
  }
}

export function commandsSut(agents: AgentEntity[] = [testAgent('a1'), testAgent('a2')]) {
  const agentRows = new InMemoryAgentRepository();
  agentRows.rows = agents;
  const commandRows = new InMemoryCommandRepository();
  const keyRows = new InMemoryCommandKeyRepository();
  const stateRows = new InMemoryAgentResponseStateRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(
    new FakeTransactionRunner([commandRows, keyRows, stateRows, stateRows.localActions, auditRows]),
  );
  const clock = new FakeClock(1_000_000);
  const random = new FakeRandom();
  const sessions = new AgentSessionsRegistry();
  const audit = new AuditService(fake(auditRows), transactions, clock, testAuditKeyring());
  const logs: LogFields[] = [];
  const logger = new JsonLogger('debug', { write: (line) => logs.push(JSON.parse(line) as LogFields) });
  const agentService = new AgentService(fake(agentRows), transactions, clock, audit, sessions);
  const keys = new CommandKeyStore(fake(keyRows), new CommandKeySealer(Buffer.alloc(32, 7)), clock);
  const commands = new CommandsService(
    fake(commandRows),
    fake(stateRows),
    keys,
    agentService,
    sessions,
    transactions,
    audit,
    clock,
    random,
    logger,
  );
  const refusals = new CommandRefusals();
  const reports = new AgentReportsService(fake(commandRows), fake(stateRows), transactions, audit, clock, refusals);
  const keysService = new CommandKeysService(
    keys,
    commands,
    agentService,
    fake(stateRows),
    transactions,
    audit,
    clock,
    random,
  );
  /** Connects an agent: a recording stream, and a Hello with the keys it pinned. */
  const connect = async (agentId: string, keyIds?: string[]) => {
    const session = new RecordingSession();
    sessions.add(agentId, session);
    const pinned = keyIds ?? (await keys.pinned()).map((k) => k.keyId);
    await commands.onHello(agentId, pinned);
    return session;
  };
  return {
    commands,
    reports,
    keysService,
    keys,
    sessions,
    commandRows,
    keyRows,
    stateRows,
    auditRows,
    agentRows,
    clock,
    logs,
    refusals,
    connect,
  };
}

/** The SignedCommands a stream got, verified with the given keys (as the agent does) and decoded. */
export function verifiedPayloads(got: ManagerMessage[], keys: { keyId: string; publicKey: Uint8Array }[]) {
  return got.flatMap((m) => {
    if (m.body?.$case !== 'signedCommand') return [];
    const signed = m.body.value;
    const key = keys.find((k) => k.keyId === signed.keyId);
    if (!key) throw new Error(`signed by an unknown key ${signed.keyId}`);
    const publicKey = createPublicKey({ key: Buffer.from(key.publicKey), format: 'der', type: 'spki' });
    if (!verify(null, signed.payload, publicKey, signed.signature)) throw new Error('bad signature');
    return [{ keyId: signed.keyId, payload: CommandPayload.decode(signed.payload) }];
  });
}
