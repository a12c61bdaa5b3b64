import { describe, expect, it } from 'vitest';
import { testEngines } from '../testing/test-engines.fixture';
import { databaseForTests } from '../testing/engine-database.fixture';

describe.each(testEngines)('audit log on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('appends a chain that verifies, also with concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        open.services.audit.append({ actor: 'admin', action: 'test.append', target: `t${i}`, details: { i } }),
      ),
    );
    const verdict = await open.services.audit.verify();
    expect(verdict).toMatchObject({ ok: true, rows: 24 });
    const [newest] = await open.services.audit.list(1);
    expect(newest.seq).toBe(24);
  });

  it.skipIf(skip)('detects a row edited in the database', async () => {
    await open.db.query(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`);
    expect(await open.services.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 3 });
    await open.db.query(`UPDATE audit_log SET actor = 'admin' WHERE seq = 3`);
    expect(await open.services.audit.verify()).toMatchObject({ ok: true });
  });

  it.skipIf(skip)('detects a row deleted from the database', async () => {
    await open.db.query('DELETE FROM audit_log WHERE seq = 2');
    expect(await open.services.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });
});
