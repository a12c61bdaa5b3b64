// The agent's identity as enrollment fixed it, and what a later Hello claimed
// instead: the host name and OS an agent claimed when they differ from its
// enrollment, and when it first did (shown to admins, never applied); and the
// certificate issued at enrollment, so that a retried Enroll with the same token
// and key gets the same answer. Nullable columns: existing agents have none.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AgentIdentity1796140000000 implements MigrationInterface {
  name = 'AgentIdentity1796140000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('agent', [
      new TableColumn({ name: 'claimed_hostname', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'claimed_os', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'identity_mismatch_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'certificate_pem', type: 'text', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const column of ['certificate_pem', 'identity_mismatch_at', 'claimed_os', 'claimed_hostname'])
      await runner.dropColumn('agent', column);
  }
}
