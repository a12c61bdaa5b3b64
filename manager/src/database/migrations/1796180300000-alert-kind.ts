// Alerts get a kind: `behaviour` (every alert so far: from a risk score or one
// event) or `agent_silent` (silent-agents/). The silence job looks up an agent's
// episode by kind, agent and last contact, hence the index. Table API, both engines.
import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AlertKind1796180300000 implements MigrationInterface {
  name = 'AlertKind1796180300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn(
      'alert',
      new TableColumn({ name: 'kind', type: 'varchar', length: '24', isNullable: false, default: "'behaviour'" }),
    );
    await runner.createIndex(
      'alert',
      new TableIndex({ name: 'idx_alert_kind_agent', columnNames: ['kind', 'agent_id', 'window_start'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('alert', 'idx_alert_kind_agent');
    await runner.dropColumn('alert', 'kind');
  }
}
