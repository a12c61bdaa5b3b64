// The approvals queue (approvals/): proposals a person must approve before their
// commands are issued. Listed by state and creation time; the expiry job looks for
// pending ones past their expiry. Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const ms = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false });
const body = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });

export class Approvals1796220000000 implements MigrationInterface {
  name = 'Approvals1796220000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'approval',
        columns: [
          { ...text('id', 64), isPrimary: true },
          text('summary', 1000),
          body('commands'),
          text('alert_id', 64, true),
          text('playbook_id', 128),
          { name: 'playbook_version', type: 'integer' },
          ms('created_at'),
          ms('expires_at'),
          text('state', 16),
          text('two_person_reason', 500, true),
          text('requested_by', 128, true),
          body('approvals'),
          body('rejection', true),
          { name: 'revision', type: 'integer' },
          text('issue_state', 16),
          body('command_ids'),
          text('issue_error', 500, true),
        ],
        indices: [
          new TableIndex({ name: 'idx_approval_state_created', columnNames: ['state', 'created_at'] }),
          new TableIndex({ name: 'idx_approval_created', columnNames: ['created_at'] }),
          new TableIndex({ name: 'idx_approval_state_expires', columnNames: ['state', 'expires_at'] }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('approval');
  }
}
