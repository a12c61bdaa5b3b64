// When a forwarding destination's receiver last took a record (null = never), for the
// Integrations page. Table API, both engines.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class ForwardLastDelivery1796610000000 implements MigrationInterface {
  name = 'ForwardLastDelivery1796610000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn(
      'forward_destination',
      new TableColumn({ name: 'last_delivered_at', type: 'bigint', isNullable: true }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('forward_destination', 'last_delivered_at');
  }
}
