// Settings that belong to the site's data rather than to one manager's environment, written
// once and kept with the database: first, the pseudonym mode its tokens are made in
// (pseudonym-mode/). Table API, both engines.
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class SiteSettings1796600000000 implements MigrationInterface {
  name = 'SiteSettings1796600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'site_setting',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'varchar', length: '256' },
          { name: 'recorded_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('site_setting');
  }
}
