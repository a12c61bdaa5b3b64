// The Response section of the built tray page in real Debian Chromium, end to end
// through everything but Electron's IPC transport: the page and the real preload
// bridge → the real IpcGuard with main's handlers → ResponseService →
// LocalApiClient (reading the real token and port files) → the agent's real
// LocalApiServer over HTTP → an in-memory ResponseControl (the agent's test
// fixture). The agent code appears here only as the far end of the wire; the
// tray's sources never import it (process-split.test.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Backoff, type AgentStatus, type ResponseActionView } from '@wardwatch/shared';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/browser';
import { LocalApiServer } from '../../../src/local-api/local-api-server';
import { GOOD_MAINTENANCE_CODE, MemoryResponseControl } from '../../../src/local-api/memory-response-control.fixture';
import { createMemoryLogger } from '../../../src/logging/logger';
import { InvokeChannels, PushChannels } from '../common/ipc-channels';
import { IpcGuard, type InvokeEventLike } from '../main/ipc/ipc-guard';
import { LocalApiClient } from '../main/local-api/local-api-client';
import { nodeFileReader } from '../main/local-api/node-file-reader';
import { ResponseService } from '../main/response/response-service';
import { StatusService } from '../main/status/status-service';

const HOSTILE = '<img src=x onerror=alert(1)>';
const trayRoot = join(__dirname, '..', '..');

const agentStatus: AgentStatus = {
  agentId: 'agent-5f2c',
  version: '0.1.0',
  manager: { address: 'manager.hospital.local:50051', connected: true, lastConnectedAt: null, lastError: null },
  lastEventAt: null,
  counts: { collected: 0, sent: 0, queued: 0, dropped: 0 },
  collectors: [],
  startedAt: 0,
};

const action = (over: Partial<ResponseActionView>): ResponseActionView => ({
  commandId: 'cmd-warn-1',
  kind: 'lock_screen',
  state: 'warning',
  reason: `unusual access to patient files ${HOSTILE}`,
  automatic: true,
  receivedAt: Date.now() - 18_000,
  runsAt: Date.now() + 45_000,
  finishedAt: null,
  message: '',
  undoable: false,
  expiresAt: null,
  ...over,
});

const BRIDGE_SHIM = `
import { createBridge } from './bridge';
const listeners = new Map();
const ipc = {
  invoke: (channel, ...args) => window.__wwInvoke(channel, args),
  on: (channel, listener) => listeners.set(channel, (listeners.get(channel) || new Set()).add(listener)),
  removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
};
window.__wwPush = (channel, payload) => listeners.get(channel)?.forEach((l) => l({}, payload));
Object.defineProperty(window, 'wardwatch', { value: createBridge(ipc) });
`;

let dir: string;
let agent: LocalApiServer;
let web: Server;
let browser: Browser;
let page: Page;
let control: MemoryResponseControl;
const pageErrors: string[] = [];

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ww-tray-response-'));
  const site = join(dir, 'renderer');
  const dataDir = join(dir, 'agent-data');
  mkdirSync(dataDir);
  execFileSync(process.execPath, [join(trayRoot, 'scripts/build.mjs'), 'renderer', site]);

  control = new MemoryResponseControl(Date.now, [
    action({}),
    action({
      commandId: 'cmd-lock-1',
      kind: 'block_removable',
      state: 'done',
      reason: 'copy of patient files to a USB drive',
      runsAt: null,
      finishedAt: Date.now() - 60_000,
      message: 'removable writes blocked',
      undoable: true,
      expiresAt: Date.now() + 3_600_000,
    }),
  ]);
  agent = new LocalApiServer({
    dataDir,
    port: 0,
    status: () => agentStatus,
    recent: () => [],
    logger: createMemoryLogger(),
    backoff: new Backoff({ baseMs: 10, maxMs: 50 }),
    response: control,
  });
  await agent.start();

  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  web = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0].replace(/^\/+/, '') || 'index.html';
    if (!/^[a-z-]+\.(html|js|css)$/.test(name)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(name)] }).end(readFileSync(join(site, name)));
  });
  const webPort = await listen(web);

  // main: the handlers as main.ts registers them, behind the real guard.
  const client = new LocalApiClient({ agentDataDir: dataDir, timeoutMs: 2_000, files: nodeFileReader });
  const status = new StatusService({ source: client, now: Date.now, onProblem: () => undefined });
  const response = new ResponseService({
    source: client,
    now: Date.now,
    onProblem: () => undefined,
    onRequest: () => undefined,
  });
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipc = new IpcGuard(
    { handle: (name, listener) => handlers.set(name, listener), removeHandler: (name) => handlers.delete(name) },
    `http://127.0.0.1:${webPort}/index.html`,
    () => undefined,
  );
  ipc.handle(InvokeChannels.getStatus, () => status.refresh());
  ipc.handle(InvokeChannels.getRecentEvents, () => status.recentEvents());
  ipc.handle(InvokeChannels.getResponse, () => response.refresh());
  ipc.handle(InvokeChannels.declareBreakGlass, ([request]) => response.declareBreakGlass(request));
  ipc.handle(InvokeChannels.endBreakGlass, () => response.endBreakGlass());
  ipc.handle(InvokeChannels.startMaintenance, ([request]) => response.startMaintenance(request));
  ipc.handle(InvokeChannels.endMaintenance, () => response.endMaintenance());
  ipc.handle(InvokeChannels.undo, ([request]) => response.undo(request));
  ipc.handle(InvokeChannels.openSealed, ([request]) => response.openSealed(request));

  browser = await launchChromium();
  // UTC so the "until 14:05" times can be computed here the same way.
  page = await browser.newPage({ viewport: { width: 760, height: 900 }, timezoneId: 'UTC' });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    pageErrors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.exposeFunction('__wwInvoke', (channel: string, args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: { url: page.mainFrame().url(), parent: null } }, ...args);
  });
  const shim = await build({
    stdin: { contents: BRIDGE_SHIM, resolveDir: join(__dirname, '..', 'preload'), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    alias: { '@wardwatch/shared': join(trayRoot, '../../shared/src/index.ts') },
  });
  await page.addInitScript({ content: shim.outputFiles[0].text });
  // main → page pushes, as main.ts sends them after every read of the response status.
  response.subscribe((result) => {
    void page
      .evaluate(([name, r]) => (window as unknown as { __wwPush(c: string, p: unknown): void }).__wwPush(name, r), [
        PushChannels.response.name,
        result,
      ] as const)
      .catch(() => undefined);
  });
  await page.goto(`http://127.0.0.1:${webPort}/index.html`);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
  await new Promise((resolve) => (web ? web.close(resolve) : resolve(undefined)));
  rmSync(dir, { recursive: true, force: true });
});

const textOf = (selector: string) => page.locator(selector).innerText();
const utcClock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const secondsLeft = (line: string) => {
  const match = /in (\d+):(\d\d)$/.exec(line);
  if (!match) throw new Error(`no countdown in "${line}"`);
  return Number(match[1]) * 60 + Number(match[2]);
};

describe('tray Response section in Chromium', { timeout: 20_000 }, () => {
  it('shows the running warning with a live countdown and its reason, as text', async () => {
    // The warning starts now (start-up took its time on a shared machine): 45 s to go.
    control.actions = [action({ runsAt: Date.now() + 45_000 }), ...control.actions.slice(1)];
    await page.click('#refresh');
    await expect
      .poll(() => textOf('#warning-countdown'))
      .toMatch(/^Save your work: this session will be locked in 0:4\d$/);
    expect(await page.locator('#warning').isVisible()).toBe(true);
    const readAt = Date.now();
    const first = await textOf('#warning-countdown');
    // Ticks once a second: it goes down (a loaded machine may delay a tick, not skip the count),
    // and never by more than the time that really passed.
    await expect
      .poll(async () => secondsLeft(first) - secondsLeft(await textOf('#warning-countdown')), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    const later = await textOf('#warning-countdown');
    const passed = Math.ceil((Date.now() - readAt) / 1_000);
    expect(secondsLeft(first) - secondsLeft(later)).toBeLessThanOrEqual(passed + 1);
    // Screen readers are told once as it starts, not every second.
    expect(await page.locator('#warning-announce').getAttribute('aria-live')).toBe('assertive');
    expect(await page.locator('#warning-announce').textContent()).toMatch(/^Save your work: .* in 0:4\d\. Reason: /);

    expect(await page.locator('#actions tr').count()).toBe(2);
    expect(await page.locator('#actions tr td:nth-child(2)').allInnerTexts()).toEqual([
      'pending (warning shown)',
      'done',
    ]);
    expect(await page.locator('img').count()).toBe(0);
    await page.screenshot({ path: join(tmpdir(), 'ww-tray-response.png'), fullPage: true });
  });

  it('checks the break-glass form, asks to confirm, declares it and shows until when; End ends it', async () => {
    await page.fill('#break-glass-reason', 'x');
    await page.click('#break-glass-submit');
    expect(await textOf('#break-glass-error')).toBe('Give a reason (at least 3 characters).');
    expect(await page.locator('#break-glass-confirm').isHidden()).toBe(true);

    await page.fill('#break-glass-reason', 'cardiac arrest, bed 4');
    await page.selectOption('#break-glass-minutes', '30');
    await page.click('#break-glass-submit');
    expect(await page.locator('#break-glass-error').isHidden()).toBe(true);
    expect(await textOf('#break-glass-confirm-text')).toContain('Declare emergency access for 30 minutes?');
    expect(control.calls.filter((c) => c.startsWith('break-glass'))).toEqual([]);

    await page.click('#break-glass-confirm-yes');
    await expect.poll(() => page.locator('#break-glass-active').isVisible()).toBe(true);
    expect(control.calls.filter((c) => c.startsWith('break-glass'))).toEqual(['break-glass 30 cardiac arrest, bed 4']);
    const until = control.breakGlass.until ?? 0;
    expect(await textOf('#break-glass-until')).toBe(`Emergency access until ${utcClock(until)}`);
    expect(await textOf('#break-glass-active-reason')).toBe('Reason: cardiac arrest, bed 4');
    expect(await page.locator('#break-glass-form').isHidden()).toBe(true);

    await page.click('#break-glass-end');
    await expect.poll(() => page.locator('#break-glass-form').isVisible()).toBe(true);
    expect(control.breakGlass.active).toBe(false);
    expect(await textOf('#response-notice')).toBe('Emergency access ended.');
  });

  it("shows the agent's 403 when the maintenance code is refused, then starts with a good code", async () => {
    await page.fill('#maintenance-reason', 'replacing the card reader');
    await page.fill('#maintenance-minutes', '45');
    await page.fill('#maintenance-code', 'short');
    await page.click('#maintenance-submit');
    expect(await textOf('#maintenance-error')).toBe('This is not a maintenance code: copy the whole code.');
    expect(control.calls.filter((c) => c.startsWith('maintenance'))).toEqual([]);

    await page.fill('#maintenance-code', 'WRONG.c2lnbmF0dXJl.0123456789abcdef');
    await page.click('#maintenance-submit');
    await expect.poll(() => textOf('#maintenance-error')).toBe('maintenance code refused: not signed by this manager');
    expect(control.maintenance.active).toBe(false);

    await page.fill('#maintenance-code', GOOD_MAINTENANCE_CODE);
    await page.click('#maintenance-submit');
    await expect.poll(() => page.locator('#maintenance-active').isVisible()).toBe(true);
    expect(await textOf('#maintenance-until')).toBe(
      `Maintenance mode until ${utcClock(control.maintenance.until ?? 0)}`,
    );
    expect(await page.locator('#maintenance-error').isHidden()).toBe(true);
    expect(await page.inputValue('#maintenance-code')).toBe('');
    await page.click('#maintenance-end');
    await expect.poll(() => page.locator('#maintenance-form').isVisible()).toBe(true);
  });

  it('undoes an undoable action with a maintenance code', async () => {
    const undo = page.getByRole('button', { name: 'Undo: Block removable drives' });
    expect(await undo.count()).toBe(1);
    await undo.click();
    expect(await page.locator('#undo-form').isVisible()).toBe(true);
    expect(await textOf('#undo-what')).toContain('Undo "Block removable drives"');

    await page.fill('#undo-code', 'WRONG.c2lnbmF0dXJl.0123456789abcdef');
    await page.click('#undo-submit');
    await expect.poll(() => textOf('#undo-error')).toBe('maintenance code refused: not signed by this manager');

    await page.fill('#undo-code', GOOD_MAINTENANCE_CODE);
    await page.click('#undo-submit');
    await expect.poll(() => textOf('#response-notice')).toBe('Undone: Block removable drives.');
    expect(await page.locator('#undo-form').isHidden()).toBe(true);
    await expect.poll(() => textOf('#actions tr:nth-child(2) td:nth-child(2)')).toBe('undone');
    expect(await page.locator('#actions button.undo').count()).toBe(0);
    expect(control.calls).toContain('undo cmd-lock-1');
    expect(pageErrors).toEqual([]);
  });

  it('opens a sealed file for IT staff: the tray menu lands on the form, refusals shown, the copy named', async () => {
    // The tray menu's "Open a sealed file…" loads the page at #open-sealed: the path field takes the focus.
    await page.evaluate(() => (window.location.hash = '#open-sealed'));
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('open-sealed-path');

    await page.fill('#open-sealed-path', '/srv/scans/referral.pdf.wwsealed');
    await page.fill('#open-sealed-reason', 'GP asked for the referral');
    await page.fill('#open-sealed-code', 'short');
    await page.click('#open-sealed-submit');
    expect(await textOf('#open-sealed-error')).toBe('This is not a maintenance code: copy the whole code.');
    expect(control.calls.filter((c) => c.startsWith('open-sealed'))).toEqual([]);

    await page.fill('#open-sealed-code', 'WRONG.c2lnbmF0dXJl.0123456789abcdef');
    await page.click('#open-sealed-submit');
    await expect.poll(() => textOf('#open-sealed-error')).toBe('maintenance code refused: not signed by this manager');
    expect(await page.inputValue('#open-sealed-code')).toBe('');
    expect(await page.locator('#open-sealed-result').isHidden()).toBe(true);

    // A path the agent will not open: its 400 in its own words, beside the form.
    await page.fill('#open-sealed-path', `/srv/scans/${HOSTILE}.pdf`);
    await page.fill('#open-sealed-code', GOOD_MAINTENANCE_CODE);
    await page.click('#open-sealed-submit');
    await expect.poll(() => textOf('#open-sealed-error')).toBe('give the absolute path of a .wwsealed file');

    await page.fill('#open-sealed-path', `  /srv/scans/${HOSTILE}.pdf.wwsealed `);
    await page.fill('#open-sealed-code', GOOD_MAINTENANCE_CODE);
    await page.click('#open-sealed-submit');
    await expect.poll(() => page.locator('#open-sealed-result').isVisible()).toBe(true);
    expect(await textOf('#open-sealed-result')).toBe(
      `Opened. The clear copy is at /home/nurse1/WardWatch-opened/${HOSTILE}.pdf (sealed under policy version 3). ` +
        'The WardWatch manager has recorded this opening with your reason.',
    );
    expect(await page.locator('#open-sealed-error').isHidden()).toBe(true);
    expect(await page.inputValue('#open-sealed-code')).toBe('');
    expect(await page.inputValue('#open-sealed-reason')).toBe('');
    expect(control.calls.filter((c) => c.startsWith('open-sealed'))).toEqual([
      'open-sealed GP asked for the referral',
      'open-sealed GP asked for the referral',
      'open-sealed GP asked for the referral',
    ]);
    // The agent's words reach the page as text only.
    expect(await page.locator('img').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('hides the warning once the agent no longer reports it', async () => {
    control.actions = control.actions.map((a) =>
      a.commandId === 'cmd-warn-1' ? { ...a, state: 'refused', runsAt: null, message: 'break-glass active' } : a,
    );
    await page.click('#refresh');
    await expect.poll(() => page.locator('#warning').isHidden()).toBe(true);
  });
});
