// Protection policies: one row per policy version (never updated; the current policy is
// the highest version, and two editors saving the same next version collide on the
// primary key), and one row per agent with its pinned tier, the delivery revision and
// its last compliance report.
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class Policies1796370000000 implements MigrationInterface {
  name = 'Policies1796370000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'policy_version',
        columns: [
          { name: 'version', type: 'integer', isPrimary: true },
          { name: 'document', type: 'text' },
          { name: 'comment', type: 'varchar', length: '500' },
          { name: 'created_at', type: 'bigint' },
          { name: 'created_by', type: 'varchar', length: '128' },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'agent_policy',
        columns: [
          { name: 'agent_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'pinned_tier', type: 'varchar', length: '32', isNullable: true },
          { name: 'revision', type: 'integer' },
          { name: 'policy_version', type: 'integer' },
          { name: 'tier', type: 'varchar', length: '32' },
          { name: 'sent_at', type: 'bigint', isNullable: true },
          { name: 'compliance', type: 'text', isNullable: true },
          { name: 'compliance_at', type: 'bigint', isNullable: true },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('agent_policy');
    await runner.dropTable('policy_version');
  }
}
