// The audit routes over real HTTP on a whole manager (SQLite): the key and checkpoint
// files made at start, checkpoints sent to a real UDP syslog listener, filters and
// paging, the export (itself audited), and the status.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, statSync } from 'node:fs';
import { AuditPage, AuditStatus } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminGet, startTestManager, TEST_ADMIN_PASSWORD, type TestManager } from '../testing/test-manager.fixture';
import { AuditService } from '../audit/audit.service';

describe('audit routes over HTTP', () => {
  let manager: TestManager;
  let get: (path: string) => Promise<Response>;
  let syslog: Socket;
  const received: string[] = [];

  beforeAll(async () => {
    syslog = createSocket('udp4');
    syslog.on('message', (m) => received.push(m.toString()));
    await new Promise<void>((resolve) => syslog.bind(0, '127.0.0.1', resolve));
    manager = await startTestManager({
      env: { WARDWATCH_AUDIT_SYSLOG: `udp://127.0.0.1:${syslog.address().port}` },
    });
    get = await adminGet(manager);
    const audit = manager.app.get(AuditService);
    for (let i = 0; i < 7; i++)
      await audit.append({
        actor: i % 2 ? 'olivia' : 'admin',
        action: i < 5 ? 'test.one' : 'test.two',
        target: `t${i}`,
      });
  });
  afterAll(async () => {
    await manager?.stop();
    syslog?.close();
  });

  const status = async () => AuditStatus.parse(await (await get('/api/v1/audit/status')).json());

  it('keeps its key and checkpoints in 0600 files, verifies at start, and sends checkpoints to syslog', async () => {
    await expect.poll(async () => (await status()).result, { timeout: 5_000 }).toBe('ok');
    for (const file of [manager.config.audit.keyFile, manager.config.audit.checkpointFile])
      expect(statSync(file).mode & 0o777).toBe(0o600);
    const response = await fetch(`${manager.httpUrl}/api/v1/audit/checkpoints`, {
      method: 'POST',
      headers: { cookie: await cookie(), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    const after = AuditStatus.parse(await response.json());
    expect(after).toMatchObject({ result: 'ok', firstBadSeq: null, lastCheckpoint: { syslog: 'sent' } });
    expect(after.lastCheckpoint!.lastSeq).toBe(after.rows);
    const lines = readFileSync(manager.config.audit.checkpointFile, 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { lastSeq: number; sig: string };
    expect(last.lastSeq).toBe(after.rows);
    expect(last.sig.length).toBeGreaterThan(80);
    await expect.poll(() => received.some((m) => m.includes(`"lastSeq":${after.rows}`))).toBe(true);
  });

  it('filters by actor, action and time, newest first, and pages by sequence number', async () => {
    const first = AuditPage.parse(await (await get('/api/v1/audit?actor=olivia&action=test.one&limit=1')).json());
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ actor: 'olivia', action: 'test.one', target: 't3' });
    const next = AuditPage.parse(
      await (await get(`/api/v1/audit?actor=olivia&action=test.one&limit=1&beforeSeq=${first.nextBeforeSeq}`)).json(),
    );
    expect(next.items.map((r) => r.target)).toEqual(['t1']);
    const t = next.items[0].timeMs;
    const none = AuditPage.parse(await (await get(`/api/v1/audit?actor=olivia&fromMs=${t + 60_000}`)).json());
    expect(none.items).toEqual([]);
    expect((await get('/api/v1/audit?limit=0')).status).toBe(400);
  });

  it('exports the filtered view as CSV or NDJSON, and audits who took it', async () => {
    const csv = await get('/api/v1/audit/export?format=csv&action=test.two');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="wardwatch-audit-.*\.csv"/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('seq,timeMs,time,actor,action,target,details,prevHash,hash');
    expect(lines.slice(1).map((l) => l.split(',')[5])).toEqual(['t6', 't5']);
    const nd = await (await get('/api/v1/audit/export?format=ndjson&actor=admin&action=test.one')).text();
    expect(
      nd
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { target: string }).target),
    ).toEqual(['t4', 't2', 't0']);
    const exports = AuditPage.parse(await (await get('/api/v1/audit?action=audit.export')).json());
    expect(exports.items[0]).toMatchObject({
      actor: 'admin',
      details: { format: 'ndjson', filter: { actor: 'admin', action: 'test.one' }, rows: 3 },
    });
    expect((await fetch(`${manager.httpUrl}/api/v1/audit/export`)).status).toBe(401);
  });

  async function cookie(): Promise<string> {
    const response = await fetch(`${manager.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    return (response.headers.get('set-cookie') ?? '').split(';')[0];
  }
});
