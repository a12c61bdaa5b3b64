// Verdict feedback (alerts/verdict-feedback/): closing an alert looks up the scores linked to
// it, and an agent's Hello the scores of its closed alerts; risk_score had no index on
// alert_id, so both scanned the table.
import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const INDEX = new TableIndex({ name: 'idx_risk_score_alert', columnNames: ['alert_id', 'agent_id'] });

export class RiskScoreAlertIndex1796630000000 implements MigrationInterface {
  name = 'RiskScoreAlertIndex1796630000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex('risk_score', INDEX);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('risk_score', INDEX.name!);
  }
}
