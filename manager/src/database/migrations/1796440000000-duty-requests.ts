// Separation of duties (duty-requests/): requests waiting for a second person's approval.
// Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class DutyRequests1796440000000 implements MigrationInterface {
  name = 'DutyRequests1796440000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'duty_request',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '32', isNullable: false },
          { name: 'requested_by', type: 'varchar', length: '128', isNullable: false },
          { name: 'excluded_approver', type: 'varchar', length: '128', isNullable: true },
          { name: 'details', type: 'text', isNullable: false },
          { name: 'binding', type: 'varchar', length: '128', isNullable: true },
          { name: 'state', type: 'varchar', length: '16', isNullable: false },
          { name: 'created_at', type: 'bigint', isNullable: false },
          { name: 'expires_at', type: 'bigint', isNullable: false },
          { name: 'decided_by', type: 'varchar', length: '128', isNullable: true },
          { name: 'decided_at', type: 'bigint', isNullable: true },
          { name: 'usable_until', type: 'bigint', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_duty_request_kind_created', columnNames: ['kind', 'created_at'] }),
          new TableIndex({ name: 'idx_duty_request_state_expires', columnNames: ['state', 'expires_at'] }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('duty_request');
  }
}
