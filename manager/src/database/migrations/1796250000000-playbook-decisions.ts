// Playbooks remember, in the database, which action they decided for which alert
// (playbook_decision: its primary key makes a decision once only, across restarts and
// concurrent evaluations; pruned by decided_at), and their caps count the automatic
// commands of the last minute from the command table (idx_command_automatic_issued).
// Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class PlaybookDecisions1796250000000 implements MigrationInterface {
  name = 'PlaybookDecisions1796250000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'playbook_decision',
        columns: [
          { name: 'alert_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'decision_key', type: 'varchar', length: '96', isPrimary: true },
          { name: 'decided_at', type: 'bigint', isNullable: false },
        ],
        indices: [new TableIndex({ name: 'idx_playbook_decision_decided', columnNames: ['decided_at'] })],
      }),
    );
    await runner.createIndex(
      'command',
      new TableIndex({ name: 'idx_command_automatic_issued', columnNames: ['automatic', 'issued_at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('command', 'idx_command_automatic_issued');
    await runner.dropTable('playbook_decision');
  }
}
