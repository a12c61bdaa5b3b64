// The CSRF rule over real HTTP: the forged writes that once created an admin user and
// an enrollment token (a form-encoded or text/plain POST from another origin, riding on
// an admin's cookie) are refused before they are read, reported and audited; the
// dashboard's own requests and non-browser clients still work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, startTestManager, type TestManager } from '../testing/test-manager.fixture';

describe('same-origin JSON writes', () => {
  let manager: TestManager;
  let cookie = '';
  let own = '';
  const post = (path: string, headers: Record<string, string>, body?: string) =>
    fetch(`${manager.httpUrl}${path}`, { method: 'POST', headers: { cookie, ...headers }, body });
  const auditCount = async (action: string): Promise<number> => {
    const res = await fetch(`${manager.httpUrl}/api/v1/audit?limit=500`, { headers: { cookie } });
    return ((await res.json()) as { items: { action: string }[] }).items.filter((row) => row.action === action).length;
  };
  const usernames = async (): Promise<string[]> => {
    const res = await fetch(`${manager.httpUrl}/api/v1/users`, { headers: { cookie } });
    return ((await res.json()) as { items: { username: string }[] }).items.map((u) => u.username);
  };

  beforeAll(async () => {
    manager = await startTestManager();
    own = manager.httpUrl;
    const res = await fetch(`${own}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  });
  afterAll(() => manager.stop());

  it('refuses a form-encoded and a text/plain POST from a foreign origin that would create an admin', async () => {
    const forged = [
      { 'content-type': 'application/x-www-form-urlencoded', body: 'username=mallory&role=admin' },
      { 'content-type': 'text/plain', body: JSON.stringify({ username: 'mallory', role: 'admin' }) },
      { 'content-type': 'application/json', body: JSON.stringify({ username: 'mallory', role: 'admin' }) },
    ];
    for (const { body, ...type } of forged) {
      const res = await post('/api/v1/users', { ...type, origin: 'https://evil.example' }, body);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'foreign_origin' });
    }
    expect(await usernames()).not.toContain('mallory');
  });

  it('refuses the same forged enrollment token request, by Origin or by Sec-Fetch-Site alone', async () => {
    const before = await auditCount('enrollment_token.create');
    const body = JSON.stringify({ ttlMinutes: 30 });
    const byOrigin = await post('/api/v1/enrollment-tokens', { 'content-type': 'text/plain', origin: 'null' }, body);
    const bySite = await post(
      '/api/v1/enrollment-tokens',
      { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      'ttlMinutes=30',
    );
    expect([byOrigin.status, bySite.status]).toEqual([403, 403]);
    expect(await bySite.json()).toMatchObject({ code: 'cross_site' });
    expect(await auditCount('enrollment_token.create')).toBe(before);
  });

  it('audits each refusal that carried a live session, and logs every one', async () => {
    const before = await auditCount('http.cross_origin_refused');
    const res = await post('/api/v1/users/x/disable', { origin: 'http://127.0.0.1:1' });
    expect(res.status).toBe(403);
    expect(await auditCount('http.cross_origin_refused')).toBe(before + 1);
    const anonymous = await fetch(`${own}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(anonymous.status).toBe(403);
    expect(await auditCount('http.cross_origin_refused')).toBe(before + 1); // no session: logged only
    const lines = manager.logs.filter((l) => l.msg === 'cross-origin write refused');
    expect(lines.some((l) => l.route === 'POST /api/v1/auth/logout' && l.origin === 'https://evil.example')).toBe(true);
  });

  it('answers 415 to a same-origin write that is not JSON', async () => {
    const res = await post(
      '/api/v1/users',
      { 'content-type': 'text/plain', origin: own },
      '{"username":"x1","role":"analyst"}',
    );
    expect(res.status).toBe(415);
    expect(await usernames()).not.toContain('x1');
  });

  it("accepts the dashboard's own requests (its Origin, Sec-Fetch-Site same-origin, JSON)", async () => {
    const browser = { origin: own, 'sec-fetch-site': 'same-origin' };
    const created = await post(
      '/api/v1/users',
      { ...browser, 'content-type': 'application/json' },
      JSON.stringify({ username: 'carol', role: 'analyst' }),
    );
    expect(created.status).toBe(201);
    const token = await post(
      '/api/v1/enrollment-tokens',
      { ...browser, 'content-type': 'application/json' },
      JSON.stringify({ ttlMinutes: 30 }),
    );
    expect(token.status).toBe(201);
    // A write without a body needs no type (the dashboard's revoke and sign-out send none).
    const rotate = await post('/api/v1/command-keys/rotate', browser);
    expect(rotate.status).toBeLessThan(300);
  });

  it('lets a non-browser client (no Origin, no Sec-Fetch-Site) write JSON', async () => {
    const res = await post(
      '/api/v1/users',
      { 'content-type': 'application/json' },
      JSON.stringify({ username: 'dave', role: 'it_staff' }),
    );
    expect(res.status).toBe(201);
    expect(await usernames()).toEqual(expect.arrayContaining(['carol', 'dave']));
  });
});
