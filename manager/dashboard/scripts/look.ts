// Looks at the built dashboard in a real browser: serves dist/ with a tiny node:http
// server under the manager's CSP (default-src 'self'), optionally forwards /api to
// a running manager, drives Debian Chromium through each page at 1280 and 800 px and
// saves screenshots. Fails on any console error, page error or CSP violation.
//
//   npx tsx manager/dashboard/scripts/look.ts --out /tmp/shots \
//     [--manager http://127.0.0.1:PORT --user admin --password '...']
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../../test/support/browser';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: resolve(import.meta.dirname, '../dist') },
    out: { type: 'string', default: '/tmp/ww-dashboard-shots' },
    manager: { type: 'string' },
    user: { type: 'string', default: 'admin' },
    password: { type: 'string' },
    /** A folder the agent watches: a file written there must show up live on the events page. */
    touch: { type: 'string' },
  },
});

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function serveStatic(dist: string, req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  let file = normalize(join(dist, path));
  if (!file.startsWith(dist + sep) && file !== dist) {
    res.writeHead(400).end();
    return;
  }
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
  res.writeHead(200, {
    'Content-Type': types[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': "default-src 'self'",
  });
  createReadStream(file).pipe(res);
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      path: req.url,
      method: req.method,
      headers: { ...req.headers, host: target.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.headersSent || res.writeHead(502).end());
  req.pipe(upstream);
}

async function main(): Promise<void> {
  const dist = resolve(values.dist);
  if (!existsSync(join(dist, 'index.html')))
    throw new Error(`${dist}/index.html missing: run "npm run build -w @wardwatch/dashboard" first`);
  mkdirSync(values.out, { recursive: true });
  const manager = values.manager ? new URL(values.manager) : undefined;
  const server = createServer((req, res) => {
    if (manager && req.url?.startsWith('/api/')) forward(manager, req, res);
    else serveStatic(dist, req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    for (const width of [1280, 800]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      page.on('console', (message) => {
        // Expected while signed out: /auth/me answers 401, which the browser logs.
        if (message.type() === 'error' && !message.text().includes('401'))
          problems.push(`${width}px console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`${width}px page error: ${error.message}`));
      // Hostile hostnames like <img onerror=alert(1)> must stay text: a dialog means markup ran.
      page.on('dialog', (dialog) => {
        problems.push(`${width}px dialog opened: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
        );
      });
      await visit(page, base, width);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  } else console.log(`screenshots in ${values.out}, no console errors or CSP violations`);
}

async function visit(page: Page, base: string, width: number): Promise<void> {
  const shot = (name: string) => page.screenshot({ path: join(values.out, `${name}-${width}.png`), fullPage: true });
  await page.goto(`${base}/`);
  await page.getByTestId('login-username').waitFor();
  if (!values.manager || !values.password) {
    await shot('sign-in');
    return;
  }
  await page.getByTestId('login-username').fill(values.user);
  await page.getByTestId('login-password').fill('wrong password');
  await page.getByTestId('login-submit').click();
  await page.getByRole('alert').waitFor();
  await shot('sign-in-error');
  await page.getByTestId('login-password').fill(values.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-fleet').waitFor();
  await page
    .getByTestId('agent-row')
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  await shot('fleet');
  await page.getByTestId('nav-events').click();
  await page.getByTestId('live-indicator').waitFor();
  await page
    .locator('[data-testid="live-indicator"][data-state="live"]')
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  const rows = page.getByTestId('event-row');
  await rows
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  if (values.touch) {
    // A file written now must arrive over SSE on top of the list, without a reload.
    const before = await rows
      .first()
      .getAttribute('data-event-id')
      .catch(() => null);
    const name = `<img src=x onerror=alert(${width})>.txt`;
    writeFileSync(join(values.touch, name), `written at ${new Date().toISOString()}\n`);
    await page.waitForFunction(
      (old) => {
        const first = document.querySelector('[data-testid="event-row"]');
        return first !== null && first.getAttribute('data-event-id') !== old;
      },
      before,
      { timeout: 15_000 },
    );
    await rows.first().getByRole('button').click();
    const shown = await page.getByText(name).count();
    console.log(`${width}px: live event arrived; file name visible: ${shown > 0} (the agent may pseudonymise paths)`);
    await shot('events-live');
    // Paused: new rows are held and counted, not shown; Resume puts them on top.
    await page.getByRole('button', { name: 'Pause' }).click();
    const top = await rows.first().getAttribute('data-event-id');
    writeFileSync(join(values.touch, `paused-${width}.txt`), 'held while paused\n');
    await page
      .locator('[data-testid="live-indicator"][data-state="paused"]', { hasText: 'new' })
      .waitFor({ timeout: 15_000 });
    if ((await rows.first().getAttribute('data-event-id')) !== top) throw new Error('a row was added while paused');
    await shot('events-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForFunction(
      (old) => document.querySelector('[data-testid="event-row"]')?.getAttribute('data-event-id') !== old,
      top,
      { timeout: 5_000 },
    );
    console.log(`${width}px: pause held the new row, resume showed it`);
    // Filters go to the API: only login events asked for, only login rows shown.
    await page.getByLabel('Category').selectOption('login');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForTimeout(1000);
    const categories = await rows.locator('td:nth-child(4)').allTextContents();
    if (categories.some((category) => category !== 'login'))
      throw new Error(`category filter let through: ${categories.join(', ')}`);
    await page.getByRole('button', { name: 'Clear' }).click();
    await rows.first().waitFor();
    console.log(`${width}px: category filter showed ${categories.length} login row(s) and no others`);
  } else if ((await rows.count()) > 0) await rows.first().getByRole('button').click();
  await shot('events');
  await page.getByTestId('nav-alerts').click();
  await page.getByRole('heading', { name: 'Alerts' }).waitFor();
  await page.waitForTimeout(500);
  await shot('alerts');
  await page.getByTestId('sign-out').click();
  await page.getByTestId('login-username').waitFor();
  // A session that ends server-side (cookie gone) sends the fleet page back to sign-in.
  await page.getByTestId('login-username').fill(values.user);
  await page.getByTestId('login-password').fill(values.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-fleet').waitFor();
  await page.context().clearCookies();
  await page.getByTestId('login-username').waitFor({ timeout: 12_000 });
  await shot('session-ended');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
