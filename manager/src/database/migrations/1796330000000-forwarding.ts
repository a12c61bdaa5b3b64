// Forwarding to SIEMs: the destinations admins configure, the outbox of records waiting for
// delivery (one row per destination and event id, deleted once delivered; dead letters kept,
// bounded) and the cursor up to which the audit log has been turned into outbox rows.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class Forwarding1796330000000 implements MigrationInterface {
  name = 'Forwarding1796330000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'forward_destination',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'enabled', type: 'boolean' },
          { name: 'kinds', type: 'varchar', length: '64' },
          { name: 'config', type: 'text' },
          { name: 'created_at', type: 'bigint' },
          { name: 'created_by', type: 'varchar', length: '128' },
          { name: 'delivered_count', type: 'bigint', default: 0 },
          { name: 'dead_count', type: 'bigint', default: 0 },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'forward_outbox',
        columns: [
          { name: 'destination_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'event_id', type: 'varchar', length: '80', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'record', type: 'text' },
          { name: 'state', type: 'varchar', length: '8' },
          { name: 'attempts', type: 'integer' },
          { name: 'next_attempt_at', type: 'bigint' },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'dead_at', type: 'bigint', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_forward_outbox_due', columnNames: ['state', 'next_attempt_at'] }),
          new TableIndex({ name: 'idx_forward_outbox_dead', columnNames: ['destination_id', 'state', 'dead_at'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'forward_cursor',
        columns: [
          { name: 'name', type: 'varchar', length: '32', isPrimary: true },
          { name: 'last_seq', type: 'bigint' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('forward_cursor');
    await runner.dropTable('forward_outbox');
    await runner.dropTable('forward_destination');
  }
}
