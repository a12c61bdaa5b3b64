// The Integrations page in Chromium against a real manager forwarding to real receivers started
// here: an HTTP webhook receiver that keeps each raw body and its signature headers, and a TLS
// syslog receiver. An admin is refused a bad URL and a short secret in the manager's words, adds
// a webhook whose secret the page generated and shows once, sees audited actions arrive signed
// with that secret as OCSF and the counts rise on the page, sends a test record, disables and
// deletes it; then adds a syslog destination that delivers CEF over TLS, and one whose pinned
// certificate name is hostile markup, whose dead letter shows that markup as text. An analyst
// sees no link to the page, and opening it by address shows the overview.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyslogReceiver, type SyslogReceiver } from '../../manager/src/forwarding/forward-receivers.fixture';
import { verifySignature } from '../../manager/src/forwarding/webhook-signature';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi } from '../support/dashboard-users';

const HOSTILE = '<img src=x onerror=alert(1)>';

interface RawHit {
  eventId: string;
  timestamp: string | undefined;
  signature: string | undefined;
  raw: string;
}

/** A webhook receiver that answers 200 and keeps what it got, for the test to verify itself. */
async function startRawReceiver(): Promise<{ url: string; hits: RawHit[]; close: () => Promise<void> }> {
  const hits: RawHit[] = [];
  const header = (req: IncomingMessage, name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({
        eventId: header(req, 'x-wardwatch-event-id') ?? '',
        timestamp: header(req, 'x-wardwatch-timestamp'),
        signature: header(req, 'x-wardwatch-signature'),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/siem`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const operationOf = (hit: RawHit) => ((JSON.parse(hit.raw) as { api?: { operation?: string } }).api ?? {}).operation;

describe('integrations page in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startRawReceiver>>;
  let syslog: SyslogReceiver;
  let page: Page;
  let dialogs: { readonly count: number };
  const api = dashboardApi(() => manager);
  let admin = '';

  beforeAll(async () => {
    [manager, browser, receiver, syslog] = await Promise.all([
      // Forwarding every second, and a record that fails once is a dead letter at once.
      startTestManager({ env: { WARDWATCH_FORWARD_INTERVAL_SECONDS: '1', WARDWATCH_FORWARD_MAX_ATTEMPTS: '1' } }),
      launchChromium(),
      startRawReceiver(),
      startSyslogReceiver(),
    ]);
    admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
    await receiver?.close();
    await syslog?.close();
  });

  const row = (name: string) =>
    page.locator('[data-testid="destination-row"]').filter({
      has: page.getByTestId('destination-name').getByText(name, { exact: true }),
    });
  const countIn = async (name: string, testId: string) =>
    Number(((await row(name).getByTestId(testId).textContent({ timeout: 1_000 })) ?? '').replace(/,/g, ''));

  it('shows no link to the page to an analyst, and the overview by address', async () => {
    const analyst = await api.addUser(admin, 'ana.lyst', 'analyst');
    const other = await (await browser.newContext()).newPage();
    const otherDialogs = countDialogs(other);
    await other.goto(manager.httpUrl);
    await submitSignIn(other, analyst.username, analyst.password);
    await other.getByTestId('nav-overview').waitFor({ timeout: 15_000 });
    expect(await other.getByTestId('nav-integrations').count()).toBe(0);
    await other.goto(`${manager.httpUrl}/#/integrations`);
    await other.locator('main h1').first().waitFor();
    expect(await other.locator('main h1').first().textContent()).toBe('Overview');
    expect(await other.getByTestId('destination-form').count()).toBe(0);
    expect(otherDialogs.count).toBe(0);
    await other.context().close();
  }, 60_000);

  it('adds a signed webhook, forwards audited actions to it, tests, disables and deletes it', async () => {
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-integrations').click();
    await expect.poll(() => page.locator('main td.empty').textContent()).toContain('No destinations');

    // Refused by the manager, each field named by the form's label.
    await page.getByTestId('destination-name-input').fill(HOSTILE);
    await page.getByTestId('destination-url').fill('http://siem.example.org/hook');
    await page.getByTestId('destination-secret-input').fill('short');
    await page.getByTestId('destination-create').click();
    const problems = page.getByTestId('destination-problem');
    await expect.poll(() => problems.count()).toBe(2);
    const texts = await problems.allTextContents();
    expect(texts.some((t) => t.startsWith('URL: must be https://'))).toBe(true);
    expect(texts.some((t) => t.startsWith('Secret:'))).toBe(true);
    expect(await page.getByTestId('destination-row').count()).toBe(0);

    // Fixed, the secret left empty: the page makes one and shows it once.
    await page.getByTestId('destination-url').fill(receiver.url);
    await page.getByTestId('destination-secret-input').fill('');
    await page.getByTestId('destination-create').click();
    const secretShown = page.getByTestId('destination-secret');
    await secretShown.waitFor({ timeout: 10_000 });
    const secret = (await secretShown.textContent()) ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await problems.count()).toBe(0);
    await row(HOSTILE).waitFor({ timeout: 10_000 });
    expect(await row(HOSTILE).getByTestId('destination-target').textContent()).toBe(receiver.url);
    expect(await row(HOSTILE).getByTestId('destination-state').getAttribute('data-state')).toBe('enabled');
    // The list never carries the secret.
    const listed = await api.call('GET', '/api/v1/forwarding/destinations', undefined, admin);
    expect(await listed.text()).not.toContain(secret);

    // Audited actions reach the receiver as OCSF, signed with the secret the page showed.
    await api.addUser(admin, 'it.tom', 'it_staff');
    const userCreated = () => receiver.hits.find((h) => operationOf(h) === 'user.create');
    await expect.poll(userCreated, { timeout: 15_000 }).toBeDefined();
    const hit = userCreated()!;
    expect(verifySignature(secret, hit, hit.raw, Math.floor(Date.now() / 1_000))).toBe(true);
    expect(verifySignature('another-secret-of-more-than-32-characters', hit, hit.raw, Date.now() / 1_000)).toBe(false);
    expect(JSON.parse(hit.raw)).toMatchObject({ class_uid: 6003, resources: [{ uid: 'it.tom' }] });
    expect(hit.raw).not.toContain(secret);

    // The counts and last delivery on the page follow.
    const delivered = receiver.hits.length;
    await expect
      .poll(() => countIn(HOSTILE, 'destination-delivered'), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(delivered);
    expect(await row(HOSTILE).getByTestId('destination-last-delivery').textContent()).not.toBe('never');
    expect(await countIn(HOSTILE, 'destination-dead')).toBe(0);

    // A test record goes out now, signed, and the page says it was taken.
    await row(HOSTILE).getByTestId('destination-test').click();
    await expect
      .poll(() => page.getByTestId('destination-notice').textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toBe(`${HOSTILE} took the test record.`);
    const test = receiver.hits.find((h) => h.eventId.startsWith('wardwatch-test-'));
    expect(test && verifySignature(secret, test, test.raw, Math.floor(Date.now() / 1_000))).toBe(true);

    // Disabled: what happens next is not sent to it.
    await row(HOSTILE).getByTestId('destination-toggle').click();
    await expect
      .poll(() => row(HOSTILE).getByTestId('destination-state').getAttribute('data-state', { timeout: 1_000 }))
      .toBe('disabled');
    expect(await row(HOSTILE).getByTestId('destination-toggle').textContent()).toBe('Enable');
    await api.addUser(admin, 'it.sam', 'it_staff');
    await page.waitForTimeout(3_000);
    expect(receiver.hits.some((h) => h.raw.includes('"it.sam"'))).toBe(false);

    // Deleted after a confirmation that names it (as text).
    await row(HOSTILE).getByTestId('destination-delete').click();
    const confirm = row(HOSTILE).getByTestId('destination-delete-confirm');
    expect(await confirm.textContent()).toBe(`Confirm: delete ${HOSTILE} and its backlog`);
    await confirm.click();
    await expect.poll(() => page.getByTestId('destination-row').count(), { timeout: 10_000 }).toBe(0);

    const audit = await (await api.call('GET', '/api/v1/audit?limit=100', undefined, admin)).text();
    expect(audit).not.toContain(secret);
    const actions = (JSON.parse(audit) as { items: { action: string }[] }).items
      .map((r) => r.action)
      .filter((a) => a.startsWith('forwarding.'))
      .reverse();
    expect(actions).toEqual(['forwarding.create', 'forwarding.test', 'forwarding.update', 'forwarding.remove']);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);
  }, 90_000);

  it('adds syslog over TLS destinations: one delivers CEF, one dead-letters a hostile error as text', async () => {
    const addSyslog = async (name: string, serverName = '') => {
      await page.getByTestId('destination-type').selectOption('syslog');
      await page.getByTestId('destination-name-input').fill(name);
      await page.getByTestId('destination-host').fill('127.0.0.1');
      await page.getByTestId('destination-port').fill(String(syslog.port));
      await page.getByTestId('destination-ca').fill(syslog.caPem);
      await page.getByTestId('destination-server-name').fill(serverName);
      await page.getByTestId('destination-create').click();
      await row(name).waitFor({ timeout: 10_000 });
    };
    await addSyslog('siem-tls');
    expect(await row('siem-tls').getByTestId('destination-target').textContent()).toBe(`127.0.0.1:${syslog.port}`);
    // Its own creation is the first thing it forwards: an RFC 5424 frame with a CEF message.
    await expect
      .poll(() => syslog.frames.some((f) => f.message.includes('CEF:0|') && f.message.includes('forwarding.create')), {
        timeout: 15_000,
      })
      .toBe(true);
    await expect.poll(() => countIn('siem-tls', 'destination-delivered'), { timeout: 15_000 }).toBeGreaterThan(0);

    // The certificate does not carry the pinned name: the record is refused once, so dead.
    await addSyslog('pinned', HOSTILE);
    await expect.poll(() => countIn('pinned', 'destination-dead'), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await countIn('pinned', 'destination-delivered')).toBe(0);
    expect(await row('pinned').getByTestId('destination-last-delivery').textContent()).toBe('never');
    await row('pinned').getByTestId('destination-dead-letters').click();
    const reason = page.getByTestId('dead-letter-error').first();
    await reason.waitFor({ timeout: 10_000 });
    expect(await reason.textContent()).toContain(
      `syslog: Hostname/IP does not match certificate's altnames: Host: ${HOSTILE}`,
    );
    expect(await page.getByTestId('dead-letters').locator('h2').textContent()).toBe('Dead letters of pinned');

    // A test to it fails in the sender's words.
    await row('pinned').getByTestId('destination-test').click();
    await expect
      .poll(() => page.getByTestId('destination-notice').textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toContain('pinned did not take the test record: syslog: Hostname/IP does not match');
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);
  }, 90_000);
});
