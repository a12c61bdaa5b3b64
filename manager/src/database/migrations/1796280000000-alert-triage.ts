// Alert triage (triage/): the alert's revision (every triage change is written over
// it, so two analysts cannot both win), its assignee, who acknowledged and closed it
// and when, and the verdict. The verdict is indexed with the close time so that
// retraining finds the false positives (`verdict = 'false_positive'`) without a scan;
// the status with the creation time serves the alert list's status filter. Comments
// are rows of their own, listed per alert in time order. Table API, both engines.
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

export class AlertTriage1796280000000 implements MigrationInterface {
  name = 'AlertTriage1796280000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('alert', [
      new TableColumn({ name: 'revision', type: 'integer', isNullable: false, default: 1 }),
      new TableColumn(text('assignee', 64, true)),
      new TableColumn(text('acknowledged_by', 64, true)),
      new TableColumn(ms('acknowledged_at', true)),
      new TableColumn(text('closed_by', 64, true)),
      new TableColumn(ms('closed_at', true)),
      new TableColumn(text('verdict', 16, true)),
    ]);
    await runner.createIndex(
      'alert',
      new TableIndex({ name: 'idx_alert_status_created', columnNames: ['status', 'created_at'] }),
    );
    await runner.createIndex(
      'alert',
      new TableIndex({ name: 'idx_alert_verdict_closed', columnNames: ['verdict', 'closed_at'] }),
    );
    await runner.createIndex(
      'alert',
      new TableIndex({ name: 'idx_alert_user_created', columnNames: ['user_pseudonym', 'created_at'] }),
    );
    await runner.createIndex(
      'alert',
      new TableIndex({ name: 'idx_alert_agent_created', columnNames: ['agent_id', 'created_at'] }),
    );
    await runner.createTable(
      new Table({
        name: 'alert_comment',
        columns: [
          { ...text('id', 64), isPrimary: true },
          text('alert_id', 64),
          text('author', 64),
          ms('created_at'),
          { name: 'body', type: 'text', isNullable: false },
        ],
        indices: [new TableIndex({ name: 'idx_alert_comment_alert', columnNames: ['alert_id', 'created_at'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('alert_comment');
    for (const index of [
      'idx_alert_agent_created',
      'idx_alert_user_created',
      'idx_alert_verdict_closed',
      'idx_alert_status_created',
    ])
      await runner.dropIndex('alert', index);
    for (const column of [
      'verdict',
      'closed_at',
      'closed_by',
      'acknowledged_at',
      'acknowledged_by',
      'assignee',
      'revision',
    ])
      await runner.dropColumn('alert', column);
  }
}
