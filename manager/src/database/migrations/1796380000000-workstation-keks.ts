// Workstation key-encryption keys (keys/): one row per key version, the private half
// sealed under the master key. Indexed by agent (its list, its current key). Table API,
// both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const text = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });

export class WorkstationKeks1796380000000 implements MigrationInterface {
  name = 'WorkstationKeks1796380000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'workstation_kek',
        columns: [
          { ...text('key_id', 40), isPrimary: true },
          { name: 'version', type: 'integer', isPrimary: true },
          text('agent_id', 64),
          text('public_key', 64),
          { name: 'sealed_private_key', type: 'text' },
          text('master_key_id', 64),
          ms('created_at'),
          ms('revoked_at', true),
          { ...text('revoked_by', 64), isNullable: true },
        ],
      }),
    );
    await runner.createIndex(
      'workstation_kek',
      new TableIndex({ name: 'idx_workstation_kek_agent', columnNames: ['agent_id', 'created_at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('workstation_kek');
  }
}
