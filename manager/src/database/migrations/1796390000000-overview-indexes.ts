// The overview's aggregates (overview/overview.repository.ts) on a million events:
// failed logons by source read only the failed logons of the range (action, time), and
// risk by unit reads window, agent and score from the index alone (no table lookup per
// scored window). The other overview reads use existing indexes (idx_alert_created,
// idx_event_category_time, idx_risk_score_user_window).
import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class OverviewIndexes1796390000000 implements MigrationInterface {
  name = 'OverviewIndexes1796390000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex(
      'event',
      new TableIndex({ name: 'idx_event_action_time', columnNames: ['action', 'time_ms'] }),
    );
    await runner.createIndex(
      'risk_score',
      new TableIndex({ name: 'idx_risk_score_window_agent', columnNames: ['window_start', 'agent_id', 'score'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('risk_score', 'idx_risk_score_window_agent');
    await runner.dropIndex('event', 'idx_event_action_time');
  }
}
