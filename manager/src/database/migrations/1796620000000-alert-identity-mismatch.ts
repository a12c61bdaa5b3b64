// Alerts keep the agent's behavioural-identity judgement (Score.identity.mismatch,
// 0–1), so a playbook can ask "is this really the user?" (minIdentityMismatch).
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AlertIdentityMismatch1796620000000 implements MigrationInterface {
  name = 'AlertIdentityMismatch1796620000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('alert', new TableColumn({ name: 'identity_mismatch', type: 'real', isNullable: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('alert', 'identity_mismatch');
  }
}
