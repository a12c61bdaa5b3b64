// The first schema, written with TypeORM's Table API so that one migration runs on
// SQLite and PostgreSQL alike. Never edit a released migration: add a new one.
import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });
const body = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });

export class InitialSchema1763848800000 implements MigrationInterface {
  name = 'InitialSchema1763848800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'agent',
        columns: [
          key(text('id', 64)),
          text('hostname', 255),
          text('os', 32),
          text('os_version', 128),
          text('version', 64),
          text('status', 16),
          ms('enrolled_at'),
          ms('last_seen_at', true),
          text('cert_fingerprint', 80),
          body('stats', true),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'event',
        columns: [
          key(text('agent_id', 64)),
          key(text('event_id', 64)),
          text('hostname', 255),
          ms('time_ms'),
          ms('received_ms'),
          int('severity'),
          text('user_name', 256),
          text('category', 16),
          text('action', 64),
          body('detail'),
        ],
        indices: [
          new TableIndex({ name: 'idx_event_time', columnNames: ['time_ms'] }),
          new TableIndex({ name: 'idx_event_agent_time', columnNames: ['agent_id', 'time_ms'] }),
          new TableIndex({ name: 'idx_event_category_time', columnNames: ['category', 'time_ms'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'alert',
        columns: [
          key(text('id', 64)),
          text('agent_id', 64),
          ms('created_at'),
          int('severity'),
          int('score'),
          text('title', 255),
          body('reasons'),
          text('status', 16),
          body('event_ids'),
        ],
        indices: [new TableIndex({ name: 'idx_alert_created', columnNames: ['created_at'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          key(ms('seq')),
          ms('time_ms'),
          text('actor', 128),
          text('action', 64),
          text('target', 255),
          body('details'),
          text('prev_hash', 64),
          text('hash', 64),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'app_user',
        columns: [
          key(text('id', 64)),
          { ...text('username', 128), isUnique: true },
          text('password_hash', 255),
          text('role', 16),
          ms('created_at'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'session',
        columns: [key(text('token_hash', 64)), text('user_id', 64), ms('created_at'), ms('expires_at')],
        indices: [new TableIndex({ name: 'idx_session_expires', columnNames: ['expires_at'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'enrollment_token',
        columns: [
          key(text('token_hash', 64)),
          ms('created_at'),
          ms('expires_at'),
          text('created_by', 128),
          ms('used_at', true),
          text('used_by_agent', 64, true),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['enrollment_token', 'session', 'app_user', 'audit_log', 'alert', 'event', 'agent'])
      await runner.dropTable(table);
  }
}
