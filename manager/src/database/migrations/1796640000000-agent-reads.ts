// What the last heartbeat said of patient-file reads: the reads collector's counts
// since the agent started. Null where the agent does not audit reads (or sent none).
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AgentReads1796640000000 implements MigrationInterface {
  name = 'AgentReads1796640000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('agent', new TableColumn({ name: 'reads', type: 'text', isNullable: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('agent', 'reads');
  }
}
