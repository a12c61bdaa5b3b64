// The audit viewer's filters (audit/): rows by actor, by action, and by time, each
// newest first. The table keeps growing (it is never deleted), so a filter must not
// scan it. The keyed chain itself needs no schema change: an HMAC-SHA-256 link is 64
// hex characters like the plain hash it follows, and where the keyed segment starts
// is kept in the key file outside the database (audit/audit-keyring.ts).
import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const INDEXES = [
  new TableIndex({ name: 'idx_audit_actor_seq', columnNames: ['actor', 'seq'] }),
  new TableIndex({ name: 'idx_audit_action_seq', columnNames: ['action', 'seq'] }),
  new TableIndex({ name: 'idx_audit_time', columnNames: ['time_ms'] }),
];

export class AuditFilters1796300000000 implements MigrationInterface {
  name = 'AuditFilters1796300000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const index of INDEXES) await runner.createIndex('audit_log', index);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const index of [...INDEXES].reverse()) await runner.dropIndex('audit_log', index.name!);
  }
}
