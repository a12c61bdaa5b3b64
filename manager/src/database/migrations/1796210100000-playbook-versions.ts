// Playbooks as versioned data: one row per version of each playbook, never updated;
// the current playbook is its highest version. Two editors saving the same next
// version collide on the primary key, so one of them is refused, never overwritten.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class PlaybookVersions1796210100000 implements MigrationInterface {
  name = 'PlaybookVersions1796210100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'playbook_version',
        columns: [
          { name: 'playbook_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'version', type: 'integer', isPrimary: true },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'enabled', type: 'boolean' },
          { name: 'definition', type: 'text' },
          { name: 'created_at', type: 'bigint' },
          { name: 'created_by', type: 'varchar', length: '128' },
        ],
        indices: [new TableIndex({ name: 'idx_playbook_version_created', columnNames: ['created_at'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('playbook_version');
  }
}
