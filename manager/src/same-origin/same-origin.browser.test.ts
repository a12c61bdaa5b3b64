// The CSRF rule in headless Chromium: the dashboard signs in and writes as before,
// while a page on another port of the same host (same site, so the SameSite=Strict
// session cookie does ride along) submits a text/plain form and a no-cors fetch that
// would create an admin and an enrollment token: both are refused, and the refusal is
// audited under the admin whose cookie was used.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, startTestManager, type TestManager } from '../testing/test-manager.fixture';

// Debian's Chromium, as test/support/browser.ts uses it; a missing one fails the test.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The attacker's page: a form whose text/plain body reads as JSON, submitted on load, and a no-cors fetch. */
function attackPage(target: string): string {
  const field = '{"username":"mallory","role":"admin","pad":"';
  return `<!doctype html><html><body>
<form id="f" method="POST" action="${target}/api/v1/users" enctype="text/plain">
<input type="hidden" name='${field}' value='"}'></form>
<script>
fetch("${target}/api/v1/enrollment-tokens", { method: "POST", mode: "no-cors", credentials: "include",
  headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ ttlMinutes: 30 }) })
  .finally(() => document.getElementById("f").submit());
</script></body></html>`;
}

describe('same-origin writes in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let context: BrowserContext;
  let attacker: Server;
  let attackerUrl = '';

  beforeAll(async () => {
    manager = await startTestManager();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    context = await browser.newContext();
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(attackPage(manager.httpUrl));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await manager?.stop();
  });

  const adminApi = async (path: string): Promise<unknown> => {
    const login = await fetch(`${manager.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    return (await fetch(`${manager.httpUrl}${path}`, { headers: { cookie } })).json();
  };

  it('the dashboard signs in and its own writes pass', async () => {
    const page = await context.newPage();
    await page.goto(manager.httpUrl);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(TEST_ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-events').waitFor({ timeout: 15_000 });
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/v1/users', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'carol', role: 'analyst' }),
      });
      return res.status;
    });
    expect(status).toBe(201);
    await page.close();
  });

  it('a page on another port cannot create an admin or an enrollment token with that session', async () => {
    const page = await context.newPage();
    const refused = page.waitForResponse((res) => res.url().endsWith('/api/v1/users'));
    await page.goto(attackerUrl);
    expect((await refused).status()).toBe(403);
    await page.close();
    const users = (await adminApi('/api/v1/users')) as { items: { username: string }[] };
    expect(users.items.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'carol']));
    expect(users.items.map((u) => u.username)).not.toContain('mallory');
    const audit = (await adminApi('/api/v1/audit?limit=500')) as {
      items: { action: string; actor: string; target: string }[];
    };
    expect(audit.items.filter((row) => row.action === 'enrollment_token.create')).toEqual([]);
    // The session cookie was sent (same site): the refusals name the admin it belonged to.
    const refusals = audit.items.filter((row) => row.action === 'http.cross_origin_refused');
    expect(refusals.map((row) => `${row.actor} ${row.target}`).sort()).toEqual([
      'admin POST /api/v1/enrollment-tokens',
      'admin POST /api/v1/users',
    ]);
  });
});
