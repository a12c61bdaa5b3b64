// The overview's aggregates (overview/overview.repository.ts) on a million events:
// failed logons by source read only the failed logons of the range (action, time); risk
// by unit and a unit's trend read agent, window and score from the index alone (no table
// lookup per scored window); the alert counts read time, severity, score, agent and user
// from the index alone. Events by category use idx_event_category_time, a user's trend
// idx_risk_score_user_window (both existing).
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
    await runner.createIndex(
      'alert',
      new TableIndex({
        name: 'idx_alert_created_overview',
        columnNames: ['created_at', 'severity', 'score', 'agent_id', 'user_pseudonym'],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('alert', 'idx_alert_created_overview');
    await runner.dropIndex('risk_score', 'idx_risk_score_window_agent');
    await runner.dropIndex('event', 'idx_event_action_time');
  }
}
