// One workstation's page and the fleet's enrollment panel in Chromium, against a real
// manager. The workstation's strings (host name, collector names, messages, drop
// reasons) are hostile markup and must show as literal text; its risk trend carries the
// forecast; revocation asks first; and a token created in the page, put through the
// Linux install command's config, enrolls a real agent process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentView } from '@wardwatch/shared';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentEntity } from '../../manager/src/agents/agent.entity';
import { RiskScoreEntity } from '../../manager/src/alerts/risk-score.entity';
import { agentRow, insertRows, scoreRow, tokenOf } from '../../manager/src/overview/overview-rows.fixture';
import {
  TEST_ADMIN_PASSWORD,
  adminGet,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

const HOSTILE_HOST = 'ws-7<img src=x onerror="window.__pwned=1">';
const HOSTILE_COLLECTOR = 'collector.<img src=x onerror=window.__pwned=1>';
const HOSTILE_MESSAGE = '<script>window.__pwned=1</script> failed';
const HOSTILE_REASON = 'queue_full.<b>low</b>.file';
const HOSTILE_RULE = 'no audit read rule covers <img src=x onerror=window.__pwned=1>';
const AGENT_ID = '4b0c7a52-1d2e-4f3a-8b9c-0d1e2f3a4b5c';
const DAY = 86_400_000;
/** Ten days of daily risk rising from 20 to 47: enough for a forecast. */
const dailyRisk = Array.from({ length: 10 }, (_, i) => 20 + 3 * i);

const AGENT_MAIN = join(__dirname, '..', '..', 'agent', 'dist', 'cli', 'main.js');

function runAgent(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AGENT_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('agent page and enrollment in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  const agentDir = mkdtempSync(join(tmpdir(), 'ww-enroll-ui-'));

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    const db = manager.app.get(DataSource);
    const now = Date.now();
    await db.getRepository(AgentEntity).insert({
      ...agentRow(AGENT_ID, HOSTILE_HOST, 'icu'),
      osVersion: 'Debian 13',
      version: '0.9.1',
      lastSeenAt: now - 30_000,
      heartbeatAt: now - 30_000,
      stats: {
        eventsSent: 1200,
        eventsDropped: 42,
        queueLength: 1234,
        outboxBytes: 2048,
        cpuPercent: 1.5,
        rssBytes: 50e6,
      },
      droppedByReason: { [HOSTILE_REASON]: 40, 'rate_limit.high.file': 2 },
      components: [
        { name: 'collector.files', state: 'running', message: '', sinceMs: now - 3_600_000 },
        { name: HOSTILE_COLLECTOR, state: 'failed', message: HOSTILE_MESSAGE, sinceMs: now - 60_000 },
        { name: 'collector.reads', state: 'running', message: '', sinceMs: now - 3_600_000 },
        { name: 'collector.reads.rule', state: 'failed', message: HOSTILE_RULE, sinceMs: now - 3_600_000 },
      ],
      reads: { seen: 9_000, reported: 3_100, repeated: 5_600, unattended: 200, ignoredExecutable: 100, overLimit: 0 },
    });
    const today = Math.floor(now / DAY) * DAY;
    await insertRows(
      db,
      RiskScoreEntity,
      dailyRisk.map((risk, i) =>
        scoreRow(`s-${i}`, AGENT_ID, tokenOf('u', 7), today - (10 - i) * DAY + 3_600_000, risk),
      ),
    );
    page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
    rmSync(agentDir, { recursive: true, force: true });
  });

  it("shows a workstation's health, collectors, reads, drops and risk forecast, its strings as text", async () => {
    const dialogs = countDialogs(page);
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-fleet').click();
    await page.getByTestId('agent-hostname').first().click();
    expect(page.url()).toContain(`#/fleet/${AGENT_ID}`);
    await expect.poll(() => page.getByTestId('agent-title').textContent(), { timeout: 15_000 }).toBe(HOSTILE_HOST);
    expect(await page.getByTestId('agent-identity').innerText()).toMatch(/Debian 13[\s\S]*0\.9\.1[\s\S]*icu/);
    expect(await page.getByTestId('agent-queue-depth').innerText()).toBe('1,234 events (2.0 KiB)');
    expect(await page.getByTestId('agent-dropped-total').innerText()).toBe('42');
    expect(await page.getByTestId('agent-last-seen').innerText()).toMatch(/s ago|just now/);
    expect(await page.getByTestId('agent-component-name').allTextContents()).toEqual([
      'collector.files',
      HOSTILE_COLLECTOR,
      'collector.reads',
      'collector.reads.rule',
    ]);
    expect(await page.getByTestId('agent-reads').innerText()).toBe(
      `audited in some patient-data folders only · ${HOSTILE_RULE} · 3,100 reported of 9,000 seen`,
    );
    expect(await page.getByTestId('agent-component-message').allTextContents()).toContain(HOSTILE_MESSAGE);
    expect(await page.getByTestId('agent-drop-row').allInnerTexts()).toEqual([
      `${HOSTILE_REASON}\t40`,
      'rate_limit.high.file\t2',
    ]);
    // The forecast: seven days after the ten observed, rising like the history.
    await page.getByTestId('chart-agent-risk-trend').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('agent-trend-method').innerText()).toContain("Holt's linear exponential smoothing");
    const trendRows = await page.getByTestId('table-agent-risk-trend').locator('tbody tr').count();
    expect(trendRows).toBe(17);
    // Nothing the workstation sent became an element or ran.
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
    expect(dialogs.count).toBe(0);
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
  }, 60_000);

  it('revokes the workstation only after the dialog is confirmed', async () => {
    const get = await adminGet(manager);
    const status = async () => AgentView.parse(await (await get(`/api/v1/agents/${AGENT_ID}`)).json()).status;
    await page.getByTestId('agent-revoke').click();
    const dialog = page.getByTestId('revoke-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(await page.getByTestId('revoke-hostname').textContent()).toBe(HOSTILE_HOST);
    await page.getByTestId('revoke-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await status()).not.toBe('revoked');
    await page.getByTestId('agent-revoke').click();
    await page.getByTestId('revoke-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('agent-status').textContent(), { timeout: 15_000 }).toBe('revoked');
    expect(await status()).toBe('revoked');
    expect(await page.getByTestId('agent-revoke').count()).toBe(0);
  }, 30_000);

  it('creates a token whose Linux install config enrolls a real agent, and revokes another', async () => {
    await page.getByTestId('agent-back').click();
    await page.getByTestId('enrollment-panel').waitFor();
    await page.getByTestId('token-ttl').selectOption(String(24 * 60));
    await page.getByTestId('token-create').click();
    const command = await page.getByTestId('install-command').innerText({ timeout: 15_000 });
    const token = await page.getByTestId('token-text').innerText();
    expect(command).toContain(`  address: "127.0.0.1:${manager.grpcPort}"`);
    expect(command).toContain(`token: "${token}"`);
    expect(command).toContain(`caFingerprint: "${manager.caFingerprint}"`);
    expect(await page.getByTestId('install-address-warning').count()).toBe(0);
    for (const os of ['windows', 'macos'] as const) {
      await page.getByTestId(`install-os-${os}`).click();
      expect(await page.getByTestId('install-command').innerText()).toContain(`token: "${token}"`);
    }
    await page.getByTestId('install-os-linux').click();
    // The config between the here-document's markers, with a data folder of our own.
    const lines = (await page.getByTestId('install-command').innerText()).split('\n');
    const from = lines.findIndex((l) => l.endsWith("<<'WARDWATCH_CONFIG'")) + 1;
    const config = lines
      .slice(from, lines.indexOf('WARDWATCH_CONFIG'))
      .map((l) => (l.startsWith('dataDir:') ? `dataDir: ${JSON.stringify(join(agentDir, 'data'))}` : l));
    const configFile = join(agentDir, 'agent.yaml');
    writeFileSync(configFile, `${config.join('\n')}\n`, { mode: 0o600 });
    const enrolled = await runAgent(['enroll', '--config', configFile]);
    expect(enrolled.code, enrolled.output).toBe(0);

    await page.reload();
    const first = page.getByTestId('token-row').first();
    await expect.poll(() => first.getByTestId('token-state').textContent(), { timeout: 20_000 }).toBe('used');
    await page.getByTestId('token-create').click();
    await page.getByTestId('install-command').waitFor();
    const fresh = page.getByTestId('token-row').first();
    await expect.poll(() => fresh.getByTestId('token-state').textContent(), { timeout: 20_000 }).toBe('active');
    expect(await page.getByTestId('token-row').count()).toBe(2);
    await fresh.getByTestId('token-revoke').click();
    await expect.poll(() => fresh.getByTestId('token-state').textContent(), { timeout: 20_000 }).toBe('revoked');
    expect(await page.locator('body').innerText()).not.toContain('undefined');
  }, 90_000);
});
