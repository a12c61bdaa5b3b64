// In-memory repositories of commands/ for unit tests: the conditional state changes and
// lookups that commands.db.test.ts holds the real ones to.
import type { AgentResponseStateEntity } from '../../commands/agent-response-state.entity';
import type { AgentResponseStateRepository } from '../../commands/agent-response-state.repository';
import type { CommandKeyEntity } from '../../commands/command-key.entity';
import type { CommandKeyRepository } from '../../commands/command-key.repository';
import type { CommandEntity, CommandState } from '../../commands/command.entity';
import type { CommandChanges, CommandFilter, CommandKey, CommandRepository } from '../../commands/command.repository';
import type { LocalActionEntity } from '../../commands/local-action.entity';
import type { Tx } from '../../database/transaction.runner';
import { InMemoryTable, type Public } from './fakes';

export class InMemoryCommandRepository extends InMemoryTable<CommandEntity> implements Public<CommandRepository> {
  insert(command: CommandEntity, _tx: Tx): Promise<void> {
    if (this.rows.some((r) => r.id === command.id)) return Promise.reject(new Error('duplicate command id'));
    this.rows.push(structuredClone(command));
    return Promise.resolve();
  }

  findById(id: string, _tx?: Tx): Promise<CommandEntity | null> {
    const row = this.rows.find((r) => r.id === id);
    return Promise.resolve(row ? structuredClone(row) : null);
  }

  undeliveredFor(agentId: string, now: number, limit: number): Promise<CommandEntity[]> {
    const rows = this.rows
      .filter((r) => r.agentId === agentId && (r.state === 'queued' || r.state === 'sent') && r.expiresAt > now)
      .sort((a, b) => a.issuedAt - b.issuedAt || a.id.localeCompare(b.id));
    return Promise.resolve(structuredClone(rows.slice(0, limit)));
  }

  expiredQueued(now: number, limit: number): Promise<CommandEntity[]> {
    const rows = this.rows.filter((r) => r.state === 'queued' && r.expiresAt < now);
    return Promise.resolve(structuredClone(rows.slice(0, limit)));
  }

  transition(id: string, agentId: string, from: CommandState[], changes: CommandChanges, _tx?: Tx): Promise<boolean> {
    const row = this.rows.find((r) => r.id === id && r.agentId === agentId && from.includes(r.state));
    if (row) Object.assign(row, structuredClone(changes));
    return Promise.resolve(row !== undefined);
  }

  page(filter: CommandFilter, limit: number, after?: CommandKey): Promise<CommandEntity[]> {
    const rows = this.rows
      .filter(
        (r) =>
          (filter.agentId === undefined || r.agentId === filter.agentId) &&
          (filter.state === undefined || r.state === filter.state),
      )
      .filter((r) => !after || r.issuedAt < after[0] || (r.issuedAt === after[0] && r.id < after[1]))
      .sort((a, b) => b.issuedAt - a.issuedAt || b.id.localeCompare(a.id));
    return Promise.resolve(structuredClone(rows.slice(0, limit + 1)));
  }

  stateOf(id: string): CommandState | undefined {
    return this.rows.find((r) => r.id === id)?.state;
  }
}

export class InMemoryCommandKeyRepository
  extends InMemoryTable<CommandKeyEntity>
  implements Public<CommandKeyRepository>
{
  active(_tx?: Tx): Promise<CommandKeyEntity[]> {
    const rows = this.rows
      .filter((r) => r.retiredAt === null)
      .sort((a, b) => b.createdAt - a.createdAt || b.keyId.localeCompare(a.keyId));
    return Promise.resolve(structuredClone(rows));
  }

  insert(key: CommandKeyEntity, _tx?: Tx): Promise<void> {
    this.rows.push(structuredClone(key));
    return Promise.resolve();
  }

  retire(keyIds: string[], at: number, _tx?: Tx): Promise<void> {
    for (const row of this.rows) if (keyIds.includes(row.keyId) && row.retiredAt === null) row.retiredAt = at;
    return Promise.resolve();
  }
}

export class InMemoryAgentResponseStateRepository
  extends InMemoryTable<AgentResponseStateEntity>
  implements Public<AgentResponseStateRepository>
{
  readonly localActions = new InMemoryTable<LocalActionEntity>();

  find(agentId: string, _tx?: Tx): Promise<AgentResponseStateEntity | null> {
    const row = this.rows.find((r) => r.agentId === agentId);
    return Promise.resolve(row ? structuredClone(row) : null);
  }

  save(state: AgentResponseStateEntity, _tx?: Tx): Promise<void> {
    this.rows = [...this.rows.filter((r) => r.agentId !== state.agentId), structuredClone(state)];
    return Promise.resolve();
  }

  addLocalAction(action: LocalActionEntity, _tx: Tx): Promise<boolean> {
    if (this.localActions.rows.some((r) => r.agentId === action.agentId && r.id === action.id))
      return Promise.resolve(false);
    this.localActions.rows.push(structuredClone(action));
    return Promise.resolve(true);
  }
}
