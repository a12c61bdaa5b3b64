// An enrollment token an admin withdrew before it was used: when (null = never). A revoked
// token is refused like a used one; the row stays so the list shows who made it and when.
// Table API, both engines.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class EnrollmentTokenRevocation1796470000000 implements MigrationInterface {
  name = 'EnrollmentTokenRevocation1796470000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn(
      'enrollment_token',
      new TableColumn({ name: 'revoked_at', type: 'bigint', isNullable: true }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('enrollment_token', 'revoked_at');
  }
}
