// Security keys (auth/mfa/webauthn/): registered WebAuthn credentials, several per user,
// and the single-use challenges handed to browsers. Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const text = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const ms = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable });

export class SecurityKeys1796460000000 implements MigrationInterface {
  name = 'SecurityKeys1796460000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'security_key',
        columns: [
          { ...text('id', 64), isPrimary: true },
          text('user_id', 64),
          text('credential_id', 1364),
          { name: 'public_key', type: 'text' },
          ms('sign_count'),
          text('transports', 128),
          text('name', 64),
          ms('created_at'),
          ms('last_used_at', true),
        ],
      }),
    );
    await runner.createIndex(
      'security_key',
      new TableIndex({ name: 'idx_security_key_user', columnNames: ['user_id'] }),
    );
    await runner.createIndex(
      'security_key',
      new TableIndex({ name: 'uq_security_key_credential', columnNames: ['credential_id'], isUnique: true }),
    );
    await runner.createTable(
      new Table({
        name: 'webauthn_challenge',
        columns: [
          { ...text('challenge', 64), isPrimary: true },
          text('user_id', 64),
          text('purpose', 16),
          ms('expires_at'),
        ],
      }),
    );
    await runner.createIndex(
      'webauthn_challenge',
      new TableIndex({ name: 'idx_webauthn_challenge_user', columnNames: ['user_id', 'purpose'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('webauthn_challenge');
    await runner.dropTable('security_key');
  }
}
