// Response commands (commands/): the manager's Ed25519 command keys (private key sealed),
// the commands sent to agents with their results, each agent's reported keys and
// break-glass/maintenance state, and the LocalAction ids seen (dedup). Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const body = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });

export class ResponseCommands1796200000000 implements MigrationInterface {
  name = 'ResponseCommands1796200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'command_key',
        columns: [
          key(text('key_id', 16)),
          body('public_key'),
          body('sealed_private_key'),
          ms('created_at'),
          ms('retired_at', true),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'command',
        columns: [
          key(text('id', 64)),
          text('agent_id', 64),
          text('action_kind', 32),
          body('action_json'),
          text('reason', 500),
          { name: 'warning_seconds', type: 'integer' },
          { name: 'automatic', type: 'boolean' },
          { name: 'dry_run', type: 'boolean' },
          ms('issued_at'),
          ms('expires_at'),
          text('state', 16),
          body('decision_json'),
          ms('sent_at', true),
          text('key_id', 16, true),
          text('result_outcome', 16, true),
          text('result_message', 500, true),
          body('result_details', true),
          ms('finished_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_command_agent_state', columnNames: ['agent_id', 'state', 'issued_at'] }),
          new TableIndex({ name: 'idx_command_state_expiry', columnNames: ['state', 'expires_at'] }),
          new TableIndex({ name: 'idx_command_issued', columnNames: ['issued_at', 'id'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'agent_response_state',
        columns: [
          key(text('agent_id', 64)),
          body('key_ids'),
          ms('break_glass_until', true),
          ms('maintenance_until', true),
          ms('updated_at'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'local_action',
        columns: [key(text('agent_id', 64)), key(text('id', 64)), text('kind', 32), ms('time_ms'), ms('received_at')],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('local_action');
    await runner.dropTable('agent_response_state');
    await runner.dropTable('command');
    await runner.dropTable('command_key');
  }
}
