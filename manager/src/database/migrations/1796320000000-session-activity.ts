// Sessions that end on their own: when a session was last used (written at most once a
// minute, so the idle timeout costs no write per request), and an index on the user so
// that ending all of one user's sessions (disable, role or password change) is no scan.
// Sessions already open are taken as last used when they were created. Table API, both engines.
import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class SessionActivity1796320000000 implements MigrationInterface {
  name = 'SessionActivity1796320000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('session', new TableColumn({ name: 'last_seen_at', type: 'bigint', isNullable: true }));
    await runner.query('UPDATE "session" SET "last_seen_at" = "created_at"');
    await runner.createIndex('session', new TableIndex({ name: 'idx_session_user', columnNames: ['user_id'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('session', 'idx_session_user');
    await runner.dropColumn('session', 'last_seen_at');
  }
}
