// The audit viewer in Chromium against a real manager (in-process, SQLite): rows
// written by the manager's own features listed newest first, filtered by actor and
// action, paged; the verification status with its signed checkpoint; the export of the
// filtered view downloaded (and itself audited); and, after a row is edited in the
// database behind the manager's back, "Verify now" shows the trail altered at that row.
// Hostile text in a row stays text.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../../manager/src/audit/audit.service';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

const HOSTILE_TARGET = '<img src=x onerror=alert(1)>';

describe('audit page in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  let dialogs: { readonly count: number };

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    const audit = manager.app.get(AuditService);
    // 60 rows by olivia (more than one page of 50), a few by others.
    for (let i = 1; i <= 60; i++)
      await audit.append({ actor: 'olivia', action: 'reidentify.match', target: `case-${i}` });
    await audit.append({ actor: 'admin', action: 'user.create', target: HOSTILE_TARGET });
    page = await browser.newPage({ acceptDownloads: true });
    dialogs = countDialogs(page);
    await page.goto(`${manager.httpUrl}/#/audit`);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-audit').click();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  const actors = () => page.getByTestId('audit-row-actor').allTextContents();

  it('lists rows newest first, filters by actor and action, and pages', async () => {
    await expect.poll(() => page.getByTestId('audit-row').count(), { timeout: 15_000 }).toBe(50);
    expect(await page.locator('.audit-target').allTextContents()).toContain(HOSTILE_TARGET);
    expect(await page.locator('img').count()).toBe(0);

    await page.locator('#audit-actor').fill('olivia');
    await page.locator('#audit-action').fill('reidentify.match');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => page.locator('.audit-target').first().textContent()).toBe('case-60');
    expect(new Set(await actors())).toEqual(new Set(['olivia']));
    await page.getByTestId('audit-pager-next').click();
    await expect.poll(() => page.getByTestId('audit-pager-page').textContent()).toBe('page 2');
    await expect
      .poll(() => page.locator('.audit-target').allTextContents())
      .toEqual(Array.from({ length: 10 }, (_, i) => `case-${10 - i}`));

    await page.locator('#audit-actor').fill('nobody');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => page.locator('td.empty').textContent()).toBe('No audit rows match.');
    // The empty row spans every column the head shows.
    const heads = await page
      .locator('table', { has: page.locator('td.empty') })
      .getByRole('columnheader')
      .count();
    expect(heads).toBe(6);
    expect(await page.locator('td.empty').getAttribute('colspan')).toBe(String(heads));
  }, 60_000);

  it('exports the filtered view as NDJSON and CSV, and each export is audited', async () => {
    await page.locator('#audit-actor').fill('admin');
    await page.locator('#audit-action').fill('user.create');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-export-ndjson').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^wardwatch-audit-.*\.ndjson$/);
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { target: string }).target)).toEqual([HOSTILE_TARGET]);
    // The same view as CSV: a header and the one row, its target as a plain cell.
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-export-csv').click(),
    ]);
    expect(csvDownload.suggestedFilename()).toMatch(/^wardwatch-audit-.*\.csv$/);
    const csv = readFileSync(await csvDownload.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toBe('seq,timeMs,time,actor,action,target,details,prevHash,hash');
    expect(csv).toHaveLength(2);
    expect(csv[1].split(',').slice(3, 6)).toEqual(['admin', 'user.create', HOSTILE_TARGET]);

    await page.locator('#audit-actor').fill('');
    await page.locator('#audit-action').fill('audit.export');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => actors()).toEqual(['admin', 'admin']);
  }, 60_000);

  it('shows the verification status with its checkpoint, and an edited row after Verify now', async () => {
    await page.getByTestId('audit-checkpoint-now').click();
    await expect.poll(() => page.getByTestId('audit-result').textContent()).toBe('Intact');
    expect(await page.getByTestId('audit-checkpoint').textContent()).toMatch(/^row \d+ · /);

    await manager.app.get(DataSource).query(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 30`);
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-result').textContent()).toBe('ALTERED');
    expect(await page.getByTestId('audit-first-bad').textContent()).toBe('30');
    expect(await page.getByTestId('audit-reason').textContent()).toBe('content does not match its keyed MAC');
    expect(dialogs.count).toBe(0);
  }, 60_000);
});
