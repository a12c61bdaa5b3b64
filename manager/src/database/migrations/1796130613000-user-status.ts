// Accounts that can be disabled, and one-time passwords that must be replaced at
// first sign-in. Existing users (the bootstrap admin) stay active, with their password.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class UserStatus1796130613000 implements MigrationInterface {
  name = 'UserStatus1796130613000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('app_user', [
      new TableColumn({ name: 'disabled_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'must_change_password', type: 'boolean', isNullable: false, default: false }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('app_user', 'must_change_password');
    await runner.dropColumn('app_user', 'disabled_at');
  }
}
