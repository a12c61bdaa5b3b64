// Certificate renewal (enrollment/renewal.service.ts): when the agent last renewed
// (renewals are rate-limited per agent), and the fingerprint of the certificate it
// held before, still accepted for a repeated Renew whose answer was lost. Nullable:
// agents enrolled before have renewed nothing.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AgentCertificateRenewal1796180100000 implements MigrationInterface {
  name = 'AgentCertificateRenewal1796180100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('agent', [
      new TableColumn({ name: 'previous_cert_fingerprint', type: 'varchar', length: '80', isNullable: true }),
      new TableColumn({ name: 'cert_renewed_at', type: 'bigint', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const column of ['cert_renewed_at', 'previous_cert_fingerprint']) await runner.dropColumn('agent', column);
  }
}
