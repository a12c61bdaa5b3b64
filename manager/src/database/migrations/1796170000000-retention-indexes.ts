// Retention deletes events and risk scores by the time the manager received them
// (the agent's own timestamps are not trusted for this): an index on each, so a
// batch delete finds its rows without scanning the table. Table API, both engines.
import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class RetentionIndexes1796170000000 implements MigrationInterface {
  name = 'RetentionIndexes1796170000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('event', new TableIndex({ name: 'idx_event_received', columnNames: ['received_ms'] }));
    await runner.createIndex(
      'risk_score',
      new TableIndex({ name: 'idx_risk_score_received', columnNames: ['received_at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('risk_score', 'idx_risk_score_received');
    await runner.dropIndex('event', 'idx_event_received');
  }
}
