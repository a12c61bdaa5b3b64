// The caps on automatic actions count slots in auto_action_slot (1796410000000) and no longer
// count automatic commands in the command table, so idx_command_automatic_issued (1796250000000)
// serves no query and only costs every command insert. Table API, both engines.
import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const INDEX = 'idx_command_automatic_issued';

export class DropCommandAutomaticIndex1796560000000 implements MigrationInterface {
  name = 'DropCommandAutomaticIndex1796560000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('command', INDEX);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.createIndex('command', new TableIndex({ name: INDEX, columnNames: ['automatic', 'issued_at'] }));
  }
}
