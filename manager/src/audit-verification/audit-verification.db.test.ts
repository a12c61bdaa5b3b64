// The audit trail attacked as a database administrator would, on SQLite and
// PostgreSQL: an edited row, a deleted middle row, the newest rows deleted, and the
// whole table rewritten with recomputed plain hashes are each found by the scheduled
// verification, which raises exactly one alert per failure state. The key and the
// checkpoint file are real files outside the database.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertService } from '../alerts/alert.service';
import { RandomSource } from '../common/clock';
import { JsonLogger } from '../logging/json-logger';
import { databaseForTests } from '../testing/engine-database.fixture';
import { FakeClock } from '../testing/fakes/fakes';
import { testEngines } from '../testing/test-engines.fixture';
import { auditHash, GENESIS_HASH } from '../audit/audit-chain';
import { CheckpointFile } from '../audit/audit-checkpoint.store';
import { freshKeyring, loadOrCreateKeyring } from '../audit/audit-keyring';
import { SyslogSender } from '../audit/audit-syslog';
import { AuditVerificationService } from './audit-verification.service';
import { AuditVerifyJob } from './audit-verify.job';
import { AuditService } from '../audit/audit.service';

const folder = mkdtempSync(join(tmpdir(), 'ww-audit-verify-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let scenarios = 0;

describe.each(testEngines)('audit trail verification on $name', ({ name, make, skip }) => {
  const open = databaseForTests({ make, skip });

  /** An empty trail of its own (new key, new checkpoint file) with `rows` rows, verified and checkpointed. */
  async function trail(rows = 10) {
    const { repos, transactions } = open.services;
    const db = open.db;
    await db.query('DELETE FROM audit_log');
    await db.query('DELETE FROM alert');
    const clock = new FakeClock(Date.UTC(2026, 11, 2, 12));
    const audit = new AuditService(repos.audit, transactions, clock, freshKeyring(1));
    const alerts = new AlertService(repos.alerts, audit, clock, new RandomSource());
    const logs: { level: string; msg: string }[] = [];
    const logger = new JsonLogger('debug', {
      write: (line) => logs.push(JSON.parse(line) as { level: string; msg: string }),
    });
    const file = new CheckpointFile(join(folder, `${name}-${++scenarios}.ndjson`));
    const verification = new AuditVerificationService(
      audit,
      alerts,
      transactions,
      clock,
      file,
      new SyslogSender({ kind: 'off' }),
      logger,
    );
    const job = new AuditVerifyJob(verification, { audit: { verifyIntervalMs: 60_000 } } as never, logger);
    for (let i = 1; i <= rows; i++) {
      clock.advance(1_000);
      await audit.append({ actor: i % 2 ? 'admin' : 'olivia', action: 'test.row', target: `t${i}`, details: { i } });
    }
    await job.tick();
    expect(verification.current()).toMatchObject({ result: 'ok', rows, lastCheckpoint: { lastSeq: rows } });
    const alertCount = async (): Promise<number> =>
      Number(
        (await db.query<{ n: number | string }[]>(`SELECT COUNT(*) AS n FROM alert WHERE kind = 'audit_chain'`))[0].n,
      );
    return { db, audit, verification, job, file, logs, alertCount, clock };
  }

  it.skipIf(skip)('verifies an untouched trail, checkpoints it to a 0600 file, and raises no alert', async () => {
    const t = await trail();
    await t.audit.append({ actor: 'admin', action: 'test.more', target: 'x' });
    await t.job.tick();
    expect(t.verification.current()).toMatchObject({ result: 'ok', rows: 11, firstBadSeq: null });
    const lines = readFileSync(t.file.path, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { lastSeq: number }).lastSeq)).toEqual([10, 11]);
    expect(statSync(t.file.path).mode & 0o777).toBe(0o600);
    // Nothing new: no further checkpoint.
    await t.job.tick();
    expect(readFileSync(t.file.path, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(await t.alertCount()).toBe(0);
  });

  it.skipIf(skip)('finds an edited row and raises exactly one alert for it, however often it runs', async () => {
    const t = await trail();
    await t.db.query(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 4`);
    for (let i = 0; i < 3; i++) await t.job.tick();
    expect(t.verification.current()).toMatchObject({ result: 'failed', firstBadSeq: 4 });
    expect(await t.alertCount()).toBe(1);
    expect(t.logs.filter((l) => l.msg === 'audit trail verification failed')).toHaveLength(1);
    // A second tampering, earlier in the trail, is a new failure state: one more alert.
    await t.db.query(`UPDATE audit_log SET target = 'elsewhere' WHERE seq = 2`);
    for (let i = 0; i < 2; i++) await t.job.tick();
    expect(t.verification.current()).toMatchObject({ result: 'failed', firstBadSeq: 2 });
    expect(await t.alertCount()).toBe(2);
  });

  it.skipIf(skip)('raises one alert when the schedule and the route verify at the same moment', async () => {
    const t = await trail();
    await t.db.query(`UPDATE audit_log SET action = 'other' WHERE seq = 7`);
    await Promise.all([t.job.tick(), t.verification.run(), t.verification.run('always')]);
    expect(t.verification.current()).toMatchObject({ result: 'failed', firstBadSeq: 7 });
    expect(await t.alertCount()).toBe(1);
  });

  it.skipIf(skip)('finds a deleted middle row', async () => {
    const t = await trail();
    await t.db.query('DELETE FROM audit_log WHERE seq = 5');
    await t.job.tick();
    expect(t.verification.current()).toMatchObject({ result: 'failed', firstBadSeq: 5 });
    expect(await t.alertCount()).toBe(1);
  });

  it.skipIf(skip)(
    'finds the newest rows deleted (what is left still links up), and rows appended since do not hide it',
    async () => {
      const t = await trail();
      await t.db.query('DELETE FROM audit_log WHERE seq > 5');
      // The chain alone holds: only the checkpoint shows the truncation.
      expect(await t.audit.verify()).toMatchObject({ ok: true, rows: 5 });
      await t.job.tick();
      expect(t.verification.current()).toMatchObject({ result: 'failed', firstBadSeq: 10 });
      expect(t.verification.current().reason).toMatch(
        /row 10, signed in the checkpoint .* is missing: the table ends at 5/,
      );
      // The alert's own audit row (and more) refill seq 6…; the failure state stays the same.
      for (let i = 0; i < 6; i++) await t.audit.append({ actor: 'admin', action: 'test.after', target: 'x' });
      for (let i = 0; i < 3; i++) await t.job.tick();
      expect(t.verification.current()).toMatchObject({ result: 'failed', firstBadSeq: 10 });
      expect(await t.alertCount()).toBe(1);
      expect(readFileSync(t.file.path, 'utf8').trim().split('\n')).toHaveLength(1);
    },
  );

  it.skipIf(skip)('finds the whole table rewritten with recomputed plain hashes', async () => {
    const t = await trail();
    // The attack that passed the unkeyed chain: drop some rows, renumber, rehash.
    const rows = (await t.audit.readAll()).filter((r) => r.actor !== 'olivia');
    await t.db.query('DELETE FROM audit_log');
    let prev = GENESIS_HASH;
    for (const [i, row] of rows.entries()) {
      const content = { ...row, seq: i + 1 };
      const hash = auditHash(prev, content);
      await t.db.query(
        `INSERT INTO audit_log (seq, time_ms, actor, action, target, details, prev_hash, hash) VALUES (${content.seq}, ${content.timeMs}, '${content.actor}', '${content.action}', '${content.target}', '${JSON.stringify(content.details)}', '${prev}', '${hash}')`,
      );
      prev = hash;
    }
    await t.job.tick();
    expect(t.verification.current()).toMatchObject({ result: 'failed', firstBadSeq: 1 });
    expect(await t.alertCount()).toBe(1);
  });

  it.skipIf(skip)(
    'upgrades a trail of plain hashes: the key starts at the next row, and the plain rows stay covered',
    async () => {
      const { repos, transactions } = open.services;
      await open.db.query('DELETE FROM audit_log');
      const clock = new FakeClock(Date.UTC(2026, 11, 2, 12));
      // What a manager before the key wrote: plain SHA-256 links.
      const before = new AuditService(repos.audit, transactions, clock, freshKeyring(Number.MAX_SAFE_INTEGER));
      for (let i = 1; i <= 5; i++) await before.append({ actor: 'admin', action: 'old.row', target: `o${i}` });
      const keyring = await loadOrCreateKeyring(join(folder, `${name}-upgrade.key`), () => repos.audit.nextSeq(), 0);
      expect(keyring.keyedFromSeq).toBe(6);
      const after = new AuditService(repos.audit, transactions, clock, keyring);
      for (let i = 1; i <= 3; i++) await after.append({ actor: 'admin', action: 'new.row', target: `n${i}` });
      const rows = await after.readAll();
      expect(rows[4].hash).toBe(auditHash(rows[4].prevHash, rows[4]));
      expect(rows[5].hash).not.toBe(auditHash(rows[5].prevHash, rows[5]));
      expect(await after.verify()).toMatchObject({ ok: true, rows: 8 });
      // The plain segment rewritten consistently (plain hashes recomputed) breaks at the first keyed row.
      let prev = GENESIS_HASH;
      for (const row of rows.slice(0, 5)) {
        const content = { ...row, actor: row.seq === 2 ? 'mallory' : row.actor };
        const hash = auditHash(prev, content);
        await open.db.query(
          `UPDATE audit_log SET actor = '${content.actor}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${row.seq}`,
        );
        prev = hash;
      }
      expect(await after.verify()).toMatchObject({ ok: false, brokenAtSeq: 6 });
    },
  );

  it.skipIf(skip)('refuses a checkpoint file whose lines were altered', async () => {
    const t = await trail();
    const text = readFileSync(t.file.path, 'utf8').replace('"lastSeq":10', '"lastSeq":3');
    await t.db.query('DELETE FROM audit_log WHERE seq > 3');
    writeFileSync(t.file.path, text);
    await t.job.tick();
    expect(t.verification.current()).toMatchObject({ result: 'failed', firstBadSeq: null });
    expect(t.verification.current().reason).toMatch(/line 1 has a bad signature/);
    expect(await t.alertCount()).toBe(1);
  });
});
