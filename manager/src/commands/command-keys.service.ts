// Command key custody seen from the API: rotation (a new key; every agent is sent a
// RotateCommandKeyAction signed by the key it holds, queued for agents offline) and
// maintenance codes (a small JSON payload signed with a command key the agent pinned,
// which IT staff type into the tray). Both are audited; no key material is logged.
import { Injectable } from '@nestjs/common';
import type { CommandKey } from '@wardwatch/proto';
import {
  formatMaintenanceCode,
  type CommandKeyRotation,
  type MaintenanceCodePayload,
  type MaintenanceCodeRequest,
  type MaintenanceCodeView,
} from '@wardwatch/shared';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { AgentResponseStateRepository } from './agent-response-state.repository';
import { CommandKeyStore } from './command-key.store';
import { CommandError } from './command.errors';
import { CommandsService } from './commands.service';

/** A rotation command waits this long for an agent that is offline. */
const ROTATION_EXPIRY_SECONDS = 30 * 86_400;
const MAX_CODE_VALIDITY_MS = 24 * 3_600_000;

@Injectable()
export class CommandKeysService {
  constructor(
    private readonly keys: CommandKeyStore,
    private readonly commands: CommandsService,
    private readonly agents: AgentService,
    private readonly states: AgentResponseStateRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /** The keys agents pin at enrollment and renewal. */
  pinned(): Promise<CommandKey[]> {
    return this.keys.pinned();
  }

  async rotate(actor: string): Promise<CommandKeyRotation> {
    const rotation = await this.transactions.run(async (tx) => {
      const made = await this.keys.rotate(tx);
      await this.audit.append(
        {
          actor,
          action: 'command_key.rotated',
          target: made.next.keyId,
          details: { previousKeyId: made.previous.keyId, keyId: made.next.keyId, retired: made.retired },
        },
        tx,
      );
      return made;
    });
    const agents = (await this.agents.list()).filter((a) => a.status !== 'revoked');
    for (const agent of agents) {
      await this.commands.issue({
        agentId: agent.id,
        action: { $case: 'rotateCommandKey', value: { next: rotation.next } },
        reason: 'The manager renews its command key.',
        warningSeconds: 0,
        automatic: false,
        dryRun: false,
        expiresInSeconds: ROTATION_EXPIRY_SECONDS,
        decision: { source: 'user', actorId: actor },
      });
    }
    return { previousKeyId: rotation.previous.keyId, keyId: rotation.next.keyId, agents: agents.length };
  }

  async maintenanceCode(agentId: string, request: MaintenanceCodeRequest, actor: string): Promise<MaintenanceCodeView> {
    const agent = await this.agents.find(agentId);
    if (!agent) throw new CommandError('not_found', 'no such agent');
    if (agent.status === 'revoked') throw new CommandError('agent_revoked', 'this agent is revoked');
    // Signed with a key this agent has pinned (it checks the code offline); the current one otherwise.
    const pinned = (await this.states.find(agentId))?.keyIds ?? [];
    const signer = (await this.keys.signerFor(pinned)) ?? (await this.keys.currentSigner());
    const now = this.clock.now();
    const payload: MaintenanceCodePayload = {
      v: 1,
      codeId: this.random.token('mc_'),
      agentId,
      issuedAtMs: now,
      expiresAtMs: now + Math.min(request.validMinutes * 60_000, MAX_CODE_VALIDITY_MS),
      maxMinutes: request.maxMinutes,
      issuedBy: actor.slice(0, 64),
    };
    const signedBytes = Buffer.from(JSON.stringify(payload));
    const code = formatMaintenanceCode(signedBytes, signer.sign(signedBytes), signer.keyId);
    await this.audit.append({
      actor,
      action: 'agent.maintenance_code',
      target: agentId,
      details: {
        codeId: payload.codeId,
        maxMinutes: payload.maxMinutes,
        expiresAt: payload.expiresAtMs,
        keyId: signer.keyId,
      },
    });
    return {
      code,
      codeId: payload.codeId,
      agentId,
      expiresAt: payload.expiresAtMs,
      maxMinutes: payload.maxMinutes,
      keyId: signer.keyId,
    };
  }
}
