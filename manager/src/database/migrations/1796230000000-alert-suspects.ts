// Alerts keep the processes the agent held responsible (Score.suspects: pid and start
// time, at most 8), so a playbook kills exactly those and not every writer of a folder.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AlertSuspects1796230000000 implements MigrationInterface {
  name = 'AlertSuspects1796230000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('alert', new TableColumn({ name: 'suspects', type: 'text', isNullable: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('alert', 'suspects');
  }
}
