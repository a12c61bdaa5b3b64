// A password spray over real HTTP, on SQLite and PostgreSQL: failed sign-ins on several
// accounts from one address raise one manager alert (not only an audit row), seen in the
// alerts list; further sprays from that source within the window raise nothing more, a
// different source or a later window does.
import { AlertPage } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../testing/test-engines.fixture';
import { TEST_ADMIN_PASSWORD, startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { SprayAlertsService } from './spray-alerts.service';

const WINDOW_MS = 600_000;

describe.each(testEngines)('password spray alerts on $name', ({ make, skip }) => {
  const db = make();
  let manager: TestManager;
  let admin = '';
  const post = (path: string, body: unknown, cookie = '') =>
    fetch(`${manager.httpUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
  const sprayAlerts = async () => {
    const response = await fetch(`${manager.httpUrl}/api/v1/alerts?limit=100`, { headers: { cookie: admin } });
    return AlertPage.parse(await response.json()).items.filter((a) => a.kind === 'sign_in_spray');
  };

  beforeAll(async () => {
    if (skip) return;
    manager = await startTestManager({
      database: db.config,
      env: { WARDWATCH_LOGIN_SPRAY_ACCOUNTS: '3', WARDWATCH_LOGIN_SPRAY_WINDOW_SECONDS: String(WINDOW_MS / 1_000) },
    });
    const signedIn = await post('/api/v1/auth/login', { username: 'admin', password: TEST_ADMIN_PASSWORD });
    admin = signedIn.headers.get('set-cookie')!.split(';')[0];
  }, 60_000);
  afterAll(async () => {
    await manager?.stop();
    if (!skip) await db.dispose();
  });

  it.skipIf(skip)('raises one alert for a source that fails on many accounts', async () => {
    expect(await sprayAlerts()).toEqual([]);
    for (const username of ['nurse.a', 'nurse.b', 'nurse.c', 'nurse.d']) {
      const response = await post('/api/v1/auth/login', { username, password: 'Winter2026!' });
      expect([401, 429]).toContain(response.status);
    }
    await expect.poll(async () => (await sprayAlerts()).length).toBe(1);
    const [alert] = await sprayAlerts();
    expect(alert).toMatchObject({ status: 'open', title: expect.stringContaining('Password spray from') as unknown });
    expect(alert.reasons[0]).toMatch(/3 different accounts/);
  });

  it.skipIf(skip)('deduplicates per source per window', async () => {
    const service = manager.app.get(SprayAlertsService);
    const [first] = await sprayAlerts();
    const source = first.title.replace('Password spray from ', '');
    const at = Date.now();
    expect(await service.onSpray({ source, accounts: 5, windowMs: WINDOW_MS, at })).toBeUndefined();
    expect(await service.onSpray({ source: '203.0.113.9', accounts: 3, windowMs: WINDOW_MS, at })).toEqual(
      expect.any(String),
    );
    expect(
      await service.onSpray({ source: '203.0.113.9', accounts: 4, windowMs: WINDOW_MS, at: at + 1 }),
    ).toBeUndefined();
    expect(
      await service.onSpray({ source: '203.0.113.9', accounts: 3, windowMs: WINDOW_MS, at: at + WINDOW_MS + 1 }),
    ).toEqual(expect.any(String));
    expect((await sprayAlerts()).length).toBe(3);
  });
});
