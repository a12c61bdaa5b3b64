import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { servicesOn } from '../testing/services.fixture';
import type { AuditService } from './audit.service';

describe.each(testEngines)('audit log on $name', ({ make, skip }) => {
  let database: TestDatabase;
  let db: DataSource;
  let audit: AuditService;

  beforeAll(async () => {
    if (skip) return;
    database = make();
    db = await database.open();
    audit = servicesOn(db).audit;
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.dispose();
  });

  it.skipIf(skip)('appends a chain that verifies, also with concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        audit.append({ actor: 'admin', action: 'test.append', target: `t${i}`, details: { i } }),
      ),
    );
    const verdict = await audit.verify();
    expect(verdict).toMatchObject({ ok: true, rows: 6 });
    const [newest] = await audit.list(1);
    expect(newest.seq).toBe(6);
  });

  it.skipIf(skip)('detects a row edited in the database', async () => {
    await db.query(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`);
    expect(await audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 3 });
    await db.query(`UPDATE audit_log SET actor = 'admin' WHERE seq = 3`);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  it.skipIf(skip)('detects a row deleted from the database', async () => {
    await db.query('DELETE FROM audit_log WHERE seq = 2');
    expect(await audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });
});
