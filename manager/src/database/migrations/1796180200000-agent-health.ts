// What the last heartbeat said about an agent's health: its collectors and local
// services with their state, and its drops by reason since it started. Nullable
// columns: agents that sent none (yet) have none.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AgentHealth1796180200000 implements MigrationInterface {
  name = 'AgentHealth1796180200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('agent', [
      new TableColumn({ name: 'heartbeat_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'dropped_by_reason', type: 'text', isNullable: true }),
      new TableColumn({ name: 'components', type: 'text', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const column of ['components', 'dropped_by_reason', 'heartbeat_at']) await runner.dropColumn('agent', column);
  }
}
