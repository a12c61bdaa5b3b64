// Workstations get tags (`shared-clinical`, `pharmacy`, `icu`) and a unit, set by an
// admin: playbooks match on them and caps count automatic actions per unit. Tags are
// a JSON array in a text column (at most 16 short tags), the same on both engines.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class WorkstationTags1796210000000 implements MigrationInterface {
  name = 'WorkstationTags1796210000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('agent', new TableColumn({ name: 'tags', type: 'text', isNullable: true }));
    await runner.addColumn('agent', new TableColumn({ name: 'unit', type: 'varchar', length: '64', isNullable: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('agent', 'unit');
    await runner.dropColumn('agent', 'tags');
  }
}
