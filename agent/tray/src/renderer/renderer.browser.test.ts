// The built status page in real Debian Chromium. window.wardwatch is the real
// preload bridge (preload/bridge.ts); its invokes reach the real IpcGuard and
// handlers, backed by the tray's real LocalApiClient + StatusService talking to
// a real HTTP server on loopback that demands the bearer token and serves
// AgentStatus-shaped data. Only Electron's own IPC transport is replaced, by
// playwright's exposeFunction.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { AgentStatus, RecentEvents, type VerdictKinds } from '@wardwatch/shared';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../../test/support/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { InvokeChannels, PushChannels } from '../common/ipc-channels';
import { IpcGuard, type InvokeEventLike, type IpcRejection } from '../main/ipc/ipc-guard';
import { LocalApiClient, type FileReader } from '../main/local-api/local-api-client';
import { nodeFileReader } from '../main/local-api/node-file-reader';
import { StatusService } from '../main/status/status-service';

const HOSTILE = '<img src=x onerror=alert(1)>';
const TOKEN = 'c3'.repeat(32);
const trayRoot = join(__dirname, '..', '..');

/** An older agent reports no verdicts by kind (set to undefined by a test). */
let verdictKinds: VerdictKinds | undefined = {
  falsePositive: 2,
  benign: 0,
  truePositive: 1,
  latestDecidedAt: Date.UTC(2026, 10, 21, 16, 5),
};

/** An agent without the reads collector reports no reads (set to undefined by a test). */
let reads: AgentStatus['reads'] = {
  seen: 1312,
  reported: 1207,
  repeated: 88,
  unattended: 12,
  ignoredExecutable: 5,
  overLimit: 0,
};

const agentStatus = (): AgentStatus =>
  AgentStatus.parse({
    agentId: 'agent-5f2c',
    version: '0.1.0',
    manager: {
      address: 'manager.hospital.local:50051',
      connected: true,
      lastConnectedAt: Date.UTC(2026, 10, 22, 9, 0),
      lastError: HOSTILE,
    },
    lastEventAt: Date.UTC(2026, 10, 22, 9, 30),
    counts: { collected: 1234, sent: 1200, queued: 31, dropped: 3 },
    scoring: {
      state: 'running',
      scored: 5120,
      alerts: 4,
      notScored: 0,
      late: { scored: 37, notScored: 2, notScoredByReason: { beyond_late_bound: 2 } },
      verdicts: 3,
      verdictKinds,
    },
    ...(reads ? { reads } : {}),
    collectors: [
      { name: 'files', state: 'running', error: null },
      { name: 'logins', state: 'failed', error: HOSTILE },
    ],
    components: [
      { name: 'collector.files', state: 'running', message: '', sinceMs: Date.UTC(2026, 10, 22, 8, 0) },
      { name: 'collector.logins', state: 'failed', message: HOSTILE, sinceMs: Date.UTC(2026, 10, 22, 8, 0) },
      {
        name: 'local-api',
        state: 'failed',
        message: 'EADDRINUSE: port 47800 on 127.0.0.1 is held by another process',
        sinceMs: Date.UTC(2026, 10, 22, 8, 0),
      },
    ],
    startedAt: Date.UTC(2026, 10, 22, 8, 0),
  });
const recent = RecentEvents.parse({
  items: [
    {
      id: 'e1',
      timeMs: Date.UTC(2026, 10, 22, 9, 29),
      category: 'file',
      action: 'write',
      summary: `wrote ${HOSTILE}.docx in phi folder`,
    },
    {
      id: 'e2',
      timeMs: Date.UTC(2026, 10, 22, 9, 30),
      category: 'login',
      action: 'failure',
      summary: 'Failed password for u_7c1e from 10.0.0.8',
    },
  ],
});

let dir: string;
let agent: Server;
let web: Server;
let browser: Browser;
let page: Page;
let service: StatusService;
let counts = agentStatus().counts;
let denyToken = false;
const pageErrors: string[] = [];
const rejections: IpcRejection[] = [];

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

async function bundleBridge(): Promise<string> {
  const result = await build({
    stdin: { contents: BRIDGE_SHIM, resolveDir: join(__dirname, '..', 'preload'), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    alias: { '@wardwatch/shared': join(trayRoot, '../../shared/src/index.ts') },
  });
  return result.outputFiles[0].text;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ww-tray-browser-'));
  const site = join(dir, 'renderer');
  const dataDir = join(dir, 'agent-data');
  mkdirSync(dataDir);
  execFileSync(process.execPath, [join(trayRoot, 'scripts/build.mjs'), 'renderer', site]);

  agent = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.statusCode = 401;
      return res.end('{"error":"unauthorized"}');
    }
    const body =
      req.url === '/v1/status' ? { ...agentStatus(), counts } : req.url === '/v1/events/recent' ? recent : null;
    res.statusCode = body ? 200 : 404;
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  writeFileSync(join(dataDir, 'local-api.json'), JSON.stringify({ port: await listen(agent) }));
  writeFileSync(join(dataDir, 'local-api.token'), `${TOKEN}\n`, { mode: 0o600 });

  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  web = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0].replace(/^\/+/, '') || 'index.html';
    if (!/^[a-z-]+\.(html|js|css)$/.test(name)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(name)] }).end(readFileSync(join(site, name)));
  });
  const webPort = await listen(web);

  // Tests run as root, where chmod cannot make a file unreadable: the one fault
  // the file system cannot produce here is injected at the FileReader seam.
  const files: FileReader = {
    readFile: async (path) => {
      if (denyToken && path.endsWith('local-api.token'))
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return nodeFileReader.readFile(path);
    },
  };
  service = new StatusService({
    source: new LocalApiClient({ agentDataDir: dataDir, timeoutMs: 2_000, files }),
    now: () => Date.now(),
    onProblem: () => undefined,
  });

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 760, height: 640 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    pageErrors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  // main side: the real IpcGuard with the real handlers, as main.ts registers them;
  // the "ipcMain" is the in-process map of handlers Electron would keep.
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipc = new IpcGuard(
    { handle: (name, listener) => handlers.set(name, listener), removeHandler: (name) => handlers.delete(name) },
    `http://127.0.0.1:${webPort}/index.html`,
    (rejection) => rejections.push(rejection),
  );
  ipc.handle(InvokeChannels.getStatus, () => service.refresh());
  ipc.handle(InvokeChannels.getRecentEvents, () => service.recentEvents());
  await page.exposeFunction('__wwInvoke', (channel: string, args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: { url: page.mainFrame().url(), parent: null } }, ...args);
  });
  // page side: the real preload bridge (preload/bridge.ts) over an ipcRenderer that
  // forwards to __wwInvoke; pushes arrive as main's webContents.send would deliver them.
  await page.addInitScript({ content: await bundleBridge() });
  service.subscribe((result) => {
    void page
      .evaluate(([name, r]) => (window as unknown as { __wwPush(c: string, p: unknown): void }).__wwPush(name, r), [
        PushChannels.status.name,
        result,
      ] as const)
      .catch(() => undefined);
  });
  await page.goto(`http://127.0.0.1:${webPort}/index.html`);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(
    [agent, web].map((server) => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))),
  );
  rmSync(dir, { recursive: true, force: true });
});

const textOf = (selector: string) => page.locator(selector).innerText();

describe('tray status page in Chromium', { timeout: 20_000 }, () => {
  it('shows the connected agent, its manager, counts, collectors and recent events', async () => {
    await expect.poll(() => textOf('#connection')).toBe('Connected');
    expect(await textOf('#manager-address')).toBe('manager.hospital.local:50051');
    expect(await textOf('#agent-id')).toBe('agent-5f2c');
    expect(await textOf('#last-event')).not.toBe('never');
    expect([
      await textOf('#count-collected'),
      await textOf('#count-sent'),
      await textOf('#count-queued'),
      await textOf('#count-dropped'),
    ]).toEqual(['1,234', '1,200', '31', '3']);
    expect(await page.locator('#collectors tr').allInnerTexts()).toEqual([
      `collector.files\trunning\t`,
      `collector.logins\tfailed\t${HOSTILE}`,
      'local-api\tfailed\tEADDRINUSE: port 47800 on 127.0.0.1 is held by another process',
    ]);
    expect(await textOf('#components-failed')).toBe('2 components failed');
    expect(await page.locator('#scoring-off').isHidden()).toBe(true);
    expect(await page.locator('#scoring dd').allInnerTexts()).toEqual([
      'running',
      '5,120',
      '4',
      '0',
      '37 scored, 2 too old to score',
      expect.stringMatching(/^3 \(2 false positive, 1 true positive; latest .*2026.*\)$/),
    ]);
    expect(await page.locator('#reads-off').isHidden()).toBe(true);
    expect(await page.locator('#reads dd').allInnerTexts()).toEqual([
      '1,207 of 1,312 seen',
      '88 again within the window, 12 by services, 5 by ignored programs',
      '0',
    ]);
    expect(await page.locator('#collectors .state-failed').count()).toBe(2);
    await expect.poll(() => page.locator('#events tr').count()).toBe(2);
    // Newest first.
    expect(await page.locator('#events tr td:nth-child(4)').allInnerTexts()).toEqual([
      'Failed password for u_7c1e from 10.0.0.8',
      `wrote ${HOSTILE}.docx in phi folder`,
    ]);
    expect(await page.locator('#problem').isHidden()).toBe(true);
    await page.screenshot({ path: join(tmpdir(), 'ww-tray-status.png'), fullPage: true });
  });

  it('shows hostile strings as text and creates no element from them', async () => {
    expect(await page.locator('img').count()).toBe(0);
    expect(await textOf('#manager-error')).toBe(HOSTILE);
    const cellsWithMarkup = await page
      .locator('td')
      .evaluateAll((cells) => cells.filter((c) => c.textContent?.includes('<img')).map((c) => c.children.length));
    expect(cellsWithMarkup).toEqual([0, 0]);
    expect(pageErrors).toEqual([]);
  });

  it('gets exactly the bridge functions, and the guard refuses arguments sent anyway', async () => {
    expect(await page.evaluate(() => Object.keys(window.wardwatch ?? {}).sort())).toEqual([
      'declareBreakGlass',
      'endBreakGlass',
      'endMaintenance',
      'getRecentEvents',
      'getResponse',
      'getStatus',
      'onResponse',
      'onStatus',
      'openSealed',
      'startMaintenance',
      'undo',
    ]);
    const refused = await page.evaluate(() =>
      (window as unknown as { __wwInvoke(c: string, a: unknown[]): Promise<unknown> })
        .__wwInvoke('wardwatch:status:get', ['/etc/shadow'])
        .then(
          () => 'answered',
          (error: Error) => error.message,
        ),
    );
    expect(refused).toContain('wardwatch:status:get refused (arguments)');
    expect(rejections.map((r) => r.reason)).toEqual(['arguments']);
  });

  it('redraws when main pushes a fresh status (from an older agent: verdicts as a count, no reads)', async () => {
    counts = { collected: 2000, sent: 1990, queued: 10, dropped: 3 };
    verdictKinds = undefined;
    reads = undefined;
    await service.refresh();
    await expect.poll(() => textOf('#count-collected')).toBe('2,000');
    expect(await textOf('#scoring-verdicts')).toBe('3');
    expect(await page.locator('#reads').isHidden()).toBe(true);
    expect(await textOf('#reads-off')).toBe('Reads of patient files are not collected on this agent.');
  });

  it('says plainly when the token cannot be read', async () => {
    denyToken = true;
    await page.click('#refresh');
    await expect.poll(() => textOf('#problem-title')).toBe("The agent's access token cannot be read");
    expect(await textOf('#connection')).toBe('Agent not reachable');
    expect(await textOf('#problem-text')).toContain('readable only by the local administrator');
    denyToken = false;
  });

  it('says plainly when the agent is unreachable, and recovers', async () => {
    const port = (agent.address() as AddressInfo).port;
    agent.closeAllConnections();
    await new Promise((resolve) => agent.close(resolve));
    await page.click('#refresh');
    await expect.poll(() => textOf('#problem-title')).toBe('The agent is unreachable');
    expect(await textOf('#problem-text')).toBe(
      `nothing answers on 127.0.0.1:${port}: the agent's local API is not running`,
    );
    expect(await textOf('#events-problem')).toContain('Recent events not updated');
    expect(await textOf('#overview-stale')).toMatch(/^Last values received .+\.$/);
    // The last events stay on screen.
    expect(await page.locator('#events tr').count()).toBe(2);
    await page.screenshot({ path: join(tmpdir(), 'ww-tray-unreachable.png'), fullPage: true });

    await new Promise<void>((resolve) => agent.listen(port, '127.0.0.1', resolve));
    await page.click('#refresh');
    await expect.poll(() => textOf('#connection')).toBe('Connected');
    expect(await page.locator('#problem').isHidden()).toBe(true);
    expect(await page.locator('#overview-stale').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
