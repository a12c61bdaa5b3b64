// The agent's per-event sequence on each stored event, and an index on (agent,
// sequence) for the per-agent completeness check (count, min, max, gaps,
// duplicates). Nullable: events stored before have none. Plain ADD COLUMN (the
// same SQL on both engines) rather than the table API, which would copy the whole
// event table on SQLite.
import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class EventSequence1796180000000 implements MigrationInterface {
  name = 'EventSequence1796180000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE "event" ADD COLUMN "sequence" bigint');
    await runner.createIndex(
      'event',
      new TableIndex({ name: 'idx_event_agent_sequence', columnNames: ['agent_id', 'sequence'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('event', 'idx_event_agent_sequence');
    await runner.query('ALTER TABLE "event" DROP COLUMN "sequence"');
  }
}
