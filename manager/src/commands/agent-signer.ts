// Signing for one agent with a command key it pinned, for what else the manager sends
// signed (policies/): the key ids the agent reported in its last Hello, else those it
// reports now. Keeps the command keys themselves inside commands/.
import { Injectable } from '@nestjs/common';
import { AgentResponseStateRepository } from './agent-response-state.repository';
import { CommandKeyStore, type CommandSigner } from './command-key.store';

export type { CommandSigner } from './command-key.store';

@Injectable()
export class AgentSigner {
  constructor(
    private readonly keys: CommandKeyStore,
    private readonly states: AgentResponseStateRepository,
  ) {}

  /** A signer with the newest active key among those the agent pinned; null when it pinned none of ours. */
  async forAgent(agentId: string, reportedKeyIds?: readonly string[]): Promise<CommandSigner | null> {
    const keyIds = reportedKeyIds ?? (await this.states.find(agentId))?.keyIds ?? [];
    return this.keys.signerFor(keyIds);
  }
}
