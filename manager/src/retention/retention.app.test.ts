// The retention job as the running manager wires it: configured from the
// environment, run against the manager's own database, audited.
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { EventEntity } from '../events/event.entity';
import { startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { RetentionJob } from './retention.job';

describe('retention in a running manager', () => {
  let manager: TestManager;

  beforeAll(async () => {
    manager = await startTestManager({ env: { WARDWATCH_RETENTION_EVENTS_DAYS: '7' } });
  });
  afterAll(async () => manager?.stop());

  it('deletes events older than the configured days and audits the run', async () => {
    const db = manager.app.get(DataSource);
    const row = (id: string, receivedMs: number) =>
      ({
        agentId: 'agent-x',
        eventId: id,
        hostname: 'h',
        timeMs: receivedMs,
        receivedMs,
        severity: 1,
        user: 'u',
        category: 'login',
        action: 'logon',
        detail: {},
      }) as QueryDeepPartialEntity<EventEntity>;
    await db.getRepository(EventEntity).insert([row('old', Date.now() - 8 * 86_400_000), row('recent', Date.now())]);

    await manager.app.get(RetentionJob).tick();

    expect((await db.getRepository(EventEntity).find()).map((e) => e.eventId)).toEqual(['recent']);
    const run = await db.getRepository(AuditLogEntity).findOneByOrFail({ action: 'retention.run' });
    expect(run).toMatchObject({ actor: 'system' });
    expect(run.details).toMatchObject({ deleted: { events: 1, scores: 0, alerts: 0 }, complete: true });
  });
});
