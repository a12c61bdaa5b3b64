// The clinical role an admin keeps per pseudonymous user token (nurse, physician, …),
// for playbooks that match on the role of the user behind an alert.
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class StaffRoles1796260000000 implements MigrationInterface {
  name = 'StaffRoles1796260000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'staff_role',
        columns: [
          { name: 'user_token', type: 'varchar', length: '32', isPrimary: true },
          { name: 'role', type: 'varchar', length: '32' },
          { name: 'updated_at', type: 'bigint' },
          { name: 'updated_by', type: 'varchar', length: '128' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('staff_role');
  }
}
