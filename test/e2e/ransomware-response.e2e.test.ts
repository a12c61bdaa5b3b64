// Response end to end, real processes: a manager and an enrolled agent watching a
// patient-data folder, and a ransomware-like process (scripts/bench/ransomware) that
// replaces the folder's documents with encrypted copies, holding each open a moment as
// a locker streaming larger files does. The agent's rule fires, the score names the
// process, the default playbook kills it automatically: the process dies by SIGKILL
// before it has changed every file, and the alert, the playbook's decision, the signed
// command and its result are visible through the REST API and on the dashboard.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertPage, CommandPage } from '@wardwatch/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { ADMIN_PASSWORD, eventually, signIn, startFleet, type Fleet } from '../support/fleet';

const ATTACKER = join(__dirname, '../../scripts/bench/ransomware/ransomware-sim.mjs');
const FILES = 80;

describe('ransomware in a patient-data folder is stopped by the default playbook', () => {
  let fleet: Fleet;
  let get: (path: string) => Promise<Response>;
  let folder = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };

  beforeAll(async () => {
    fleet = await startFleet({});
    get = await signIn(fleet.manager.httpUrl);
    await fleet.agent.waitForLog((l) => l.msg === 'command keys pinned', 30_000);
    await fleet.agent.waitForLog((l) => l.msg === 'scoring ready', 60_000).catch(() => undefined);
    folder = join(fleet.phiFolder, 'discharge-letters');
    mkdirSync(folder);
    for (let i = 0; i < FILES; i++)
      writeFileSync(join(folder, `letter-${String(i).padStart(3, '0')}.docx`), 'Discharge summary. '.repeat(300));
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the agent has seen the ordinary creates
    const attacker = spawn(
      process.execPath,
      [ATTACKER, '--folder', folder, '--log', join(fleet.root, 'attacker.ndjson'), '--hold-ms', '40'],
      { stdio: 'ignore' },
    );
    exit = await new Promise((resolve) => attacker.on('exit', (code, signal) => resolve({ code, signal })));
  }, 120_000);
  afterAll(async () => fleet?.stop());

  it('kills the process before it has encrypted the folder', () => {
    expect(exit.signal).toBe('SIGKILL');
    const left = readdirSync(folder).filter((name) => !name.endsWith('.locked')).length;
    console.log(`ransomware killed with ${FILES - left} of ${FILES} documents changed`);
    expect(left).toBeGreaterThan(FILES / 2);
  });

  it('shows the alert, the automatic kill and its result through the API, audited', async () => {
    const alert = await eventually(
      async () =>
        AlertPage.parse(await (await get('/api/v1/alerts')).json()).items.find((a) =>
          a.ruleIds?.includes('ransomware-burst'),
        ),
      20_000,
      'a ransomware alert',
    );
    expect(alert.severity).toBe('critical');
    const kill = await eventually(
      async () =>
        CommandPage.parse(await (await get('/api/v1/commands')).json()).items.find(
          (c) => c.actionKind === 'killProcessTree' && c.state === 'done',
        ),
      20_000,
      'a kill command with its result',
    );
    expect(kill).toMatchObject({ automatic: true, decision: { source: 'playbook', alertId: alert.id } });
    expect(kill.result?.message).toMatch(/processes? killed/);
    const audit = (await (await get('/api/v1/audit?limit=200')).json()) as { items: { action: string }[] };
    const actions = new Set(audit.items.map((r) => r.action));
    for (const action of ['playbook.decision', 'command.issued', 'command.result']) expect(actions).toContain(action);
  });

  it('shows the kill and its result on the Actions page in Chromium', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      const dialogs = countDialogs(page);
      await page.goto(fleet.manager.httpUrl);
      await submitSignIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByTestId('nav-actions').click();
      const row = page.locator('[data-testid="command-row"]', { hasText: 'killed' }).first();
      await row.waitFor({ timeout: 15_000 });
      expect(await row.getByTestId('command-state').textContent()).toBe('done');
      expect(await row.getByTestId('command-decided').textContent()).toMatch(/^playbook .*\(automatic\)$/);
      expect(dialogs.count).toBe(0);
    } finally {
      await browser?.close();
    }
  }, 60_000);
});
