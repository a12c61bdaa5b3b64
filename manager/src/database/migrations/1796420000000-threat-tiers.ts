// Threat-driven tiers and staged rollouts: each agent's threat level (0 the policy's
// lowest tier) with the cause and time of its last change, and whether an admin marked
// it a canary; each unit's threat level; one row per policy version that was rolled out
// in stages (its canaries, state, and why it halted).
import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class ThreatTiers1796420000000 implements MigrationInterface {
  name = 'ThreatTiers1796420000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('agent_policy', [
      new TableColumn({ name: 'threat_level', type: 'integer', default: 0 }),
      new TableColumn({ name: 'threat_cause', type: 'text', isNullable: true }),
      new TableColumn({ name: 'threat_changed_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'canary', type: 'boolean', default: false }),
    ]);
    await runner.createTable(
      new Table({
        name: 'unit_tier',
        columns: [
          { name: 'unit', type: 'varchar', length: '64', isPrimary: true },
          { name: 'level', type: 'integer' },
          { name: 'cause', type: 'text', isNullable: true },
          { name: 'changed_at', type: 'bigint' },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'policy_rollout',
        columns: [
          { name: 'version', type: 'integer', isPrimary: true },
          { name: 'from_version', type: 'integer' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'canaries', type: 'text' },
          { name: 'started_at', type: 'bigint' },
          { name: 'resumed_at', type: 'bigint', isNullable: true },
          { name: 'canaries_ok_at', type: 'bigint', isNullable: true },
          { name: 'halt_reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'updated_at', type: 'bigint' },
          { name: 'updated_by', type: 'varchar', length: '128' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('policy_rollout');
    await runner.dropTable('unit_tier');
    for (const column of ['canary', 'threat_changed_at', 'threat_cause', 'threat_level'])
      await runner.dropColumn('agent_policy', column);
  }
}
