// Risk scores from the agents' local scoring, and the alerts they raise: a new
// risk_score table, and nullable columns on alert for the scored user, window,
// threshold, model and the reasons with their figures. Table API, both engines.
import {
  Table,
  TableColumn,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm';

const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const real = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'real', isNullable: nullable });
const body = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });

export class RiskScores1796130700000 implements MigrationInterface {
  name = 'RiskScores1796130700000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'risk_score',
        columns: [
          key(text('agent_id', 64)),
          key(text('score_id', 64)),
          text('user_pseudonym', 256),
          ms('window_start'),
          ms('window_end'),
          real('score'),
          real('threshold'),
          { name: 'severity', type: 'integer' },
          text('model_source', 16),
          text('baseline_source', 16),
          body('reasons'),
          body('rule_ids'),
          { name: 'partial', type: 'boolean' },
          ms('scored_at'),
          ms('received_at'),
          text('alert_id', 64, true),
        ],
        indices: [
          new TableIndex({ name: 'idx_risk_score_window', columnNames: ['window_start'] }),
          new TableIndex({ name: 'idx_risk_score_user_window', columnNames: ['user_pseudonym', 'window_start'] }),
        ],
      }),
    );
    await runner.addColumns('alert', [
      new TableColumn(text('user_pseudonym', 256, true)),
      new TableColumn(ms('window_start', true)),
      new TableColumn(ms('window_end', true)),
      new TableColumn(real('threshold', true)),
      new TableColumn(text('model_source', 16, true)),
      new TableColumn(body('reason_details', true)),
      new TableColumn(body('rule_ids', true)),
      new TableColumn(ms('updated_at', true)),
    ]);
    // One alert per (agent, user, window): later scores of the window update it.
    await runner.createIndex(
      'alert',
      new TableIndex({ name: 'idx_alert_scored_window', columnNames: ['agent_id', 'user_pseudonym', 'window_start'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('alert', 'idx_alert_scored_window');
    for (const column of [
      'updated_at',
      'rule_ids',
      'reason_details',
      'model_source',
      'threshold',
      'window_end',
      'window_start',
      'user_pseudonym',
    ])
      await runner.dropColumn('alert', column);
    await runner.dropTable('risk_score');
  }
}
