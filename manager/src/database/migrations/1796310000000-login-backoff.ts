// Sign-in backoff per account (auth/throttle/): one row per account name with recent
// consecutive failures, kept in the database so that a restart does not forgive them
// and no number of other names can push one out. Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class LoginBackoff1796310000000 implements MigrationInterface {
  name = 'LoginBackoff1796310000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'login_backoff',
        columns: [
          { name: 'account', type: 'varchar', length: '128', isPrimary: true },
          { name: 'failures', type: 'integer', isNullable: false },
          { name: 'last_failure_at', type: 'bigint', isNullable: false },
          { name: 'blocked_until', type: 'bigint', isNullable: false },
        ],
        // Pruning deletes by the last failure.
        indices: [new TableIndex({ name: 'idx_login_backoff_last_failure', columnNames: ['last_failure_at'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('login_backoff');
  }
}
