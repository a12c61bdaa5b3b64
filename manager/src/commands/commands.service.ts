// Issues response commands and delivers them. A command is stored (with its audit row,
// in one transaction) before anything is sent; then, when the agent's stream is up here
// and it has reported a command key of ours, the payload is rebuilt from the row, signed
// with the newest key the agent pinned, marked sent and written down the stream. After
// each Hello the agent gets, oldest first, its queued commands and again every sent one
// that has no result yet (its copy may have died with the last stream): delivery is at
// least once, and the agent runs each id at most once and answers a repeat with the
// result it kept. A warning result proves the agent journalled the command, so a
// `warning` command is not sent again. A queued command whose time ran out is marked
// expired by the interval job and never sent.
import { Injectable, Optional } from '@nestjs/common';
import type { CommandPage, CommandQuery, CommandView } from '@wardwatch/shared';
import { CommandQuery as CommandQuerySchema, undoableActionKinds } from '@wardwatch/shared';
import { z } from 'zod';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { pageCursor, toPage } from '../common/page-cursor';
import { TransactionRunner } from '../database/transaction.runner';
import { JsonLogger } from '../logging/json-logger';
import { ResponseMetrics, type CommandMode } from '../metrics/response-metrics';
import { AgentResponseStateRepository } from './agent-response-state.repository';
import type { CommandIssuer, IssueCommandRequest, IssuedCommand } from './command-issuer';
import { CommandKeyStore } from './command-key.store';
import { encodePayload, payloadOf, storeAction } from './command-payload';
import { CommandError } from './command.errors';
import type { CommandEntity } from './command.entity';
import { CommandRepository } from './command.repository';

/** sent: written down the stream; waits: no stream or key now; skipped: nothing left to send. */
type Delivery = 'sent' | 'waits' | 'skipped';

const cursor = pageCursor(z.tuple([z.number().int(), z.string().max(64)]));

/** Commands (re)sent after one Hello; the rest follow at the next. */
const MAX_DELIVERED_PER_HELLO = 200;
/** Expired commands handled per run of the expiry job. */
const EXPIRY_BATCH = 500;

export function commandView(command: CommandEntity): CommandView {
  const finished = command.resultOutcome !== null;
  return {
    id: command.id,
    agentId: command.agentId,
    actionKind: command.actionKind as CommandView['actionKind'],
    action: command.action,
    reason: command.reason,
    warningSeconds: command.warningSeconds,
    automatic: command.automatic,
    dryRun: command.dryRun,
    issuedAt: command.issuedAt,
    expiresAt: command.expiresAt,
    state: command.state,
    decision: command.decision,
    sentAt: command.sentAt,
    keyId: command.keyId,
    result: finished
      ? {
          outcome: command.resultOutcome ?? '',
          message: command.resultMessage ?? '',
          details: command.resultDetails ?? {},
          finishedAt: command.finishedAt,
        }
      : null,
    undoable: command.state === 'done' && !command.dryRun && undoableActionKinds.some((k) => k === command.actionKind),
  };
}

@Injectable()
export class CommandsService implements CommandIssuer {
  private readonly log: JsonLogger;

  constructor(
    private readonly commands: CommandRepository,
    private readonly states: AgentResponseStateRepository,
    private readonly keys: CommandKeyStore,
    private readonly agents: AgentService,
    private readonly sessions: AgentSessionsRegistry,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    logger: JsonLogger,
    @Optional() private readonly metrics?: ResponseMetrics,
  ) {
    this.log = logger.child('commands');
  }

  async issue(request: IssueCommandRequest): Promise<IssuedCommand> {
    const agent = await this.agents.find(request.agentId);
    if (!agent) throw new CommandError('not_found', 'no such agent');
    if (agent.status === 'revoked') throw new CommandError('agent_revoked', 'this agent is revoked');
    const now = this.clock.now();
    const stored = storeAction(request.action);
    const command: CommandEntity = {
      id: this.random.uuid(),
      agentId: request.agentId,
      actionKind: stored.kind,
      action: stored.json,
      reason: request.reason.slice(0, 500),
      warningSeconds: Math.max(0, Math.min(Math.trunc(request.warningSeconds), 3_600)),
      automatic: request.automatic,
      dryRun: request.dryRun,
      issuedAt: now,
      expiresAt: now + Math.max(1, Math.trunc(request.expiresInSeconds)) * 1_000,
      state: 'queued',
      decision: request.decision,
      sentAt: null,
      keyId: null,
      resultOutcome: null,
      resultMessage: null,
      resultDetails: null,
      finishedAt: null,
    };
    await this.transactions.run(async (tx) => {
      await this.commands.insert(command, tx);
      await this.audit.append(
        {
          actor: request.decision.actorId ?? request.decision.source,
          action: 'command.issued',
          target: command.agentId,
          details: {
            commandId: command.id,
            action: command.actionKind,
            automatic: command.automatic,
            dryRun: command.dryRun,
            expiresAt: command.expiresAt,
            decision: { ...request.decision },
          },
        },
        tx,
      );
    });
    this.metrics?.commandIssued(command.actionKind, modeOf(request));
    const delivery = await this.deliver(command);
    return { commandId: command.id, state: delivery === 'sent' ? 'sent' : 'queued' };
  }

  /** After the agent's Hello: remembers the keys it pinned and sends what waits for it (queued or sent), oldest first. */
  async onHello(agentId: string, reportedKeyIds: readonly string[]): Promise<number> {
    const keyIds = reportedKeyIds.filter((id) => /^[0-9a-f]{16}$/.test(id)).slice(0, 16);
    const known = await this.states.find(agentId);
    await this.states.save({
      agentId,
      keyIds,
      breakGlassUntil: known?.breakGlassUntil ?? null,
      maintenanceUntil: known?.maintenanceUntil ?? null,
      updatedAt: this.clock.now(),
    });
    let sent = 0;
    for (const command of await this.commands.undeliveredFor(agentId, this.clock.now(), MAX_DELIVERED_PER_HELLO)) {
      const delivery = await this.deliver(command, keyIds);
      if (delivery === 'waits') break;
      if (delivery === 'sent') sent += 1;
    }
    if (sent > 0) this.log.info('waiting commands sent', { agentId, count: sent });
    return sent;
  }

  async get(id: string): Promise<CommandView> {
    const command = await this.commands.findById(id);
    if (!command) throw new CommandError('not_found', 'no such command');
    return commandView(command);
  }

  async page(query: CommandQuery): Promise<CommandPage> {
    const q = CommandQuerySchema.parse(query);
    const rows = await this.commands.page(
      { agentId: q.agentId, state: q.state },
      q.limit,
      q.cursor === undefined ? undefined : cursor.decode(q.cursor),
    );
    return toPage(rows, q.limit, commandView, (c) => cursor.encode([c.issuedAt, c.id]));
  }

  /** Reverses a done command of a reversible kind with an UndoAction (a person asked). */
  async undo(id: string, reason: string, actor: string): Promise<IssuedCommand> {
    const command = await this.commands.findById(id);
    if (!command) throw new CommandError('not_found', 'no such command');
    if (!commandView(command).undoable)
      throw new CommandError(
        'not_undoable',
        `only a done ${undoableActionKinds.join(', ')} command can be undone (this one is ${command.actionKind}, ${command.state})`,
      );
    return this.issue({
      agentId: command.agentId,
      action: { $case: 'undo', value: { commandId: command.id } },
      reason,
      warningSeconds: 0,
      automatic: false,
      dryRun: false,
      expiresInSeconds: 86_400,
      decision: { source: 'user', actorId: actor },
    });
  }

  /** Marks queued commands past their expiry as expired (audited); returns how many. */
  async expireDue(): Promise<number> {
    const now = this.clock.now();
    let expired = 0;
    for (const command of await this.commands.expiredQueued(now, EXPIRY_BATCH)) {
      const changed = await this.transactions.run(async (tx) => {
        if (!(await this.commands.transition(command.id, command.agentId, ['queued'], { state: 'expired' }, tx)))
          return false;
        await this.audit.append(
          {
            actor: 'system',
            action: 'command.expired',
            target: command.agentId,
            details: { commandId: command.id, action: command.actionKind, expiresAt: command.expiresAt },
          },
          tx,
        );
        return true;
      });
      if (changed) {
        expired += 1;
        this.metrics?.commandFinished('expired');
      }
    }
    return expired;
  }

  /**
   * Signs and writes one command down the agent's stream, when it has one here and a key of
   * ours is pinned there ('waits' otherwise). A queued one is marked sent first (so a result
   * cannot arrive for a command still queued) and put back in the queue when the stream
   * ended meanwhile. A sent one is written again unless its result came in meanwhile
   * ('skipped'); it stays sent when the write fails, for the next Hello.
   */
  private async deliver(command: CommandEntity, keyIds?: readonly string[]): Promise<Delivery> {
    if (this.sessions.count(command.agentId) === 0) return 'waits';
    const pinned = keyIds ?? (await this.states.find(command.agentId))?.keyIds ?? [];
    const signer = await this.keys.signerFor(pinned);
    if (!signer) {
      this.log.warn('command waits: the agent has pinned no command key of ours', {
        agentId: command.agentId,
        commandId: command.id,
      });
      return 'waits';
    }
    const now = this.clock.now();
    if (command.expiresAt <= now) return 'skipped';
    const again = command.state === 'sent';
    const marked = again
      ? await this.commands.transition(command.id, command.agentId, ['sent'], { keyId: signer.keyId })
      : await this.commands.transition(command.id, command.agentId, ['queued'], {
          state: 'sent',
          sentAt: now,
          keyId: signer.keyId,
        });
    if (!marked) return 'skipped';
    // Rebuilt from the row: the same bytes every time, so the agent sees a repeat as one.
    const payload = Buffer.from(encodePayload(payloadOf(command)));
    const written = this.sessions.send(command.agentId, {
      body: { $case: 'signedCommand', value: { payload, signature: signer.sign(payload), keyId: signer.keyId } },
    });
    if (!written) {
      if (!again)
        await this.commands.transition(command.id, command.agentId, ['sent'], {
          state: 'queued',
          sentAt: null,
          keyId: null,
        });
      return 'waits';
    }
    this.log.info(again ? 'command sent again' : 'command sent', {
      agentId: command.agentId,
      commandId: command.id,
      action: command.actionKind,
      keyId: signer.keyId,
    });
    return 'sent';
  }
}

function modeOf(request: IssueCommandRequest): CommandMode {
  if (request.automatic) return 'automatic';
  return request.decision.source === 'approval' ? 'approved' : 'manual';
}
