// Second factors (auth/mfa/): one TOTP authenticator per user (its secret sealed under
// the MFA key file) and single-use recovery codes, stored as keyed hashes, indexed by
// user. Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const text = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const ms = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable });

export class Mfa1796350000000 implements MigrationInterface {
  name = 'Mfa1796350000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'user_mfa',
        columns: [
          { ...text('user_id', 64), isPrimary: true },
          text('sealed_secret', 255),
          ms('created_at'),
          ms('confirmed_at', true),
          ms('last_step', true),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'mfa_recovery_code',
        columns: [
          { ...text('code_hash', 64), isPrimary: true },
          text('user_id', 64),
          ms('created_at'),
          ms('used_at', true),
        ],
      }),
    );
    await runner.createIndex(
      'mfa_recovery_code',
      new TableIndex({ name: 'idx_mfa_recovery_code_user', columnNames: ['user_id'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('mfa_recovery_code');
    await runner.dropTable('user_mfa');
  }
}
