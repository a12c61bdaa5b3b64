// Reports (reports/): an incident report reads the audit rows that name one alert,
// approval or incident (by target), and the approvals raised for one alert. Both tables
// keep growing, so neither lookup may scan them.
import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const INDEXES: [string, TableIndex][] = [
  ['audit_log', new TableIndex({ name: 'idx_audit_target_seq', columnNames: ['target', 'seq'] })],
  ['approval', new TableIndex({ name: 'idx_approval_alert', columnNames: ['alert_id'] })],
];

export class ReportIndexes1796480000000 implements MigrationInterface {
  name = 'ReportIndexes1796480000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const [table, index] of INDEXES) await runner.createIndex(table, index);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [table, index] of [...INDEXES].reverse()) await runner.dropIndex(table, index.name!);
  }
}
