// Single sign-on (auth/oidc/): the provider identities linked to users, and the sign-ins on
// their way through the provider (single use, minutes long). Table API, both engines.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class OidcSignIn1796360000000 implements MigrationInterface {
  name = 'OidcSignIn1796360000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'oidc_identity',
        columns: [
          { name: 'issuer', type: 'varchar', length: '512', isPrimary: true },
          { name: 'subject', type: 'varchar', length: '255', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '64', isNullable: false },
          { name: 'created_at', type: 'bigint', isNullable: false },
          { name: 'last_sign_in_at', type: 'bigint', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_oidc_identity_user', columnNames: ['user_id'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'oidc_transaction',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'state', type: 'varchar', length: '128', isNullable: false },
          { name: 'nonce', type: 'varchar', length: '128', isNullable: false },
          { name: 'code_verifier', type: 'varchar', length: '128', isNullable: false },
          { name: 'expires_at', type: 'bigint', isNullable: false },
        ],
        // Lapsed ones are swept by their end.
        indices: [new TableIndex({ name: 'idx_oidc_transaction_expires', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('oidc_transaction');
    await runner.dropTable('oidc_identity');
  }
}
