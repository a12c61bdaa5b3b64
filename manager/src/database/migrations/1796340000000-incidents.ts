// Fleet-wide incidents (incidents/): one row per attacking source or cross-host
// account episode, updated in place. Indexed by subject (the open incident of a
// source is found without a scan) and by status with the last write (closing the
// quiet ones, listing the newest). Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const text = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });
const ms = (name: string): TableColumnOptions => ({ name, type: 'bigint' });

export class Incidents1796340000000 implements MigrationInterface {
  name = 'Incidents1796340000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'incident',
        columns: [
          { ...text('id', 36), isPrimary: true },
          text('kind', 32),
          text('subject', 128),
          text('status', 8),
          ms('first_seen_ms'),
          ms('last_seen_ms'),
          int('events'),
          int('failures'),
          { name: 'accounts', type: 'text' },
          int('account_count'),
          { name: 'workstations', type: 'text' },
          int('workstation_count'),
          { name: 'reason', type: 'text' },
          { name: 'evidence', type: 'text' },
          int('evidence_count'),
          ms('created_ms'),
          ms('updated_ms'),
        ],
      }),
    );
    await runner.createIndex(
      'incident',
      new TableIndex({ name: 'idx_incident_subject', columnNames: ['kind', 'subject', 'status'] }),
    );
    await runner.createIndex(
      'incident',
      new TableIndex({ name: 'idx_incident_status_updated', columnNames: ['status', 'updated_ms'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('incident');
  }
}
