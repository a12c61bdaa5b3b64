// The caps on automatic actions take a slot in the database in the statement that checks
// them (auto_action_slot), so two managers on one database cannot each pass a full cap.
// Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AutoActionSlots1796410000000 implements MigrationInterface {
  name = 'AutoActionSlots1796410000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'auto_action_slot',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'unit', type: 'varchar', length: '64', isNullable: true },
          { name: 'taken_at', type: 'bigint', isNullable: false },
        ],
        indices: [new TableIndex({ name: 'idx_auto_action_slot_taken', columnNames: ['taken_at'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('auto_action_slot');
  }
}
