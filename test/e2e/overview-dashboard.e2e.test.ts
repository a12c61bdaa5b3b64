// The overview in Chromium against a real manager on seeded rows whose counts are known:
// every chart is drawn with the numbers behind it (read from each chart's hidden table),
// a workstation's hostile host name stays text, the range buttons change the buckets,
// and the risk trend shows a unit's days with Holt's forecast.
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentEntity } from '../../manager/src/agents/agent.entity';
import { AlertEntity } from '../../manager/src/alerts/alert.entity';
import { RiskScoreEntity } from '../../manager/src/alerts/risk-score.entity';
import { EventEntity } from '../../manager/src/events/event.entity';
import {
  agentRow,
  alertRow,
  eventRow,
  failedLogon,
  insertRows,
  scoreRow,
  tokenOf,
} from '../../manager/src/overview/overview-rows.fixture';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HOSTILE_HOST = 'ws-icu-1<img src=x onerror="window.__pwned=1">';
/** The cells of a chart's hidden table (the figures the chart draws), row by row. */
const cells = (page: Page, id: string) =>
  page.evaluate<string[][]>(
    `Array.from(document.querySelectorAll('[data-testid="table-${id}"] tbody tr'), (r) => Array.from(r.cells, (td) => td.textContent ?? ''))`,
  );

describe('overview in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    const db = manager.app.get(DataSource);
    const now = Date.now();
    const today = Math.floor(now / DAY) * DAY;
    await insertRows(db, AgentEntity, [agentRow('a1', HOSTILE_HOST, 'icu'), agentRow('a2', 'ws-ed-1', 'ed')]);
    const u1 = tokenOf('u', 1);
    await insertRows(db, AlertEntity, [
      alertRow({
        id: 'al1',
        agentId: 'a1',
        createdAt: now - HOUR,
        severity: 4,
        score: 80,
        user: u1,
        ruleIds: ['brute-force'],
      }),
      alertRow({ id: 'al2', agentId: 'a1', createdAt: now - 2 * HOUR, severity: 5, score: 95, user: u1 }),
      alertRow({ id: 'al3', agentId: 'a2', createdAt: now - 3 * DAY, severity: 4, score: 70, user: tokenOf('u', 2) }),
    ]);
    // Ten days of the ICU's risk, rising: enough for a forecast.
    await insertRows(
      db,
      RiskScoreEntity,
      Array.from({ length: 10 }, (_, i) => scoreRow(`s${i}`, 'a1', u1, today - (10 - i) * DAY + HOUR, 20 + 3 * i)),
    );
    await insertRows(db, EventEntity, [
      eventRow(failedLogon('e1', 'a1', now - HOUR, tokenOf('ip', 0xa))),
      eventRow(failedLogon('e2', 'a1', now - HOUR, tokenOf('ip', 0xa))),
      eventRow({ id: 'e3', agentId: 'a1', timeMs: now - HOUR, user: u1, category: 'file', action: 'write' }),
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('draws every chart with the stored numbers, host names as text', async () => {
    const dialogs = countDialogs(page);
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await expect
      .poll(() => page.getByTestId('overview-status').textContent(), { timeout: 15_000 })
      .toMatch(/^2 alerts from /);
    for (const id of [
      'alerts-over-time',
      'top-users',
      'top-workstations',
      'top-sources',
      'risk-by-unit',
      'events-by-category',
    ])
      expect(await page.getByTestId(`chart-${id}`).locator('canvas').count(), id).toBe(1);
    const hours = await cells(page, 'alerts-over-time');
    expect(hours).toHaveLength(24);
    expect(await cells(page, 'top-workstations')).toEqual([[HOSTILE_HOST, '2', '95']]);
    expect(await cells(page, 'top-sources')).toEqual([[tokenOf('ip', 0xa), '2', '1']]);
    expect(await cells(page, 'events-by-category')).toEqual(
      expect.arrayContaining([
        ['login', '2'],
        ['file', '1'],
      ]),
    );
    const brute = page.locator('[data-testid="attack-row"][data-technique="T1110.001"]');
    expect(await brute.getByTestId('attack-alerts').textContent()).toBe('1');
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
    expect(dialogs.count).toBe(0);
  }, 60_000);

  it('switches the range to days and keeps the older alert in it', async () => {
    await page.getByTestId('range-7d').click();
    await expect
      .poll(() => page.getByTestId('overview-status').textContent(), { timeout: 15_000 })
      .toMatch(/^3 alerts from /);
    expect(await cells(page, 'alerts-over-time')).toHaveLength(7);
    expect(await page.getByTestId('range-7d').getAttribute('aria-pressed')).toBe('true');
  }, 30_000);

  it("shows a unit's risk trend with the forecast", async () => {
    await page.getByTestId('trend-subject').selectOption('unit:icu');
    await expect.poll(() => cells(page, 'risk-trend').then((r) => r.length), { timeout: 15_000 }).toBe(17);
    expect(await page.getByTestId('trend-method').textContent()).toContain("Holt's linear exponential smoothing");
    const rows = await cells(page, 'risk-trend');
    // The observed days first (20 … 47), then seven forecast days.
    expect(rows[0][1]).toBe('20');
    expect(rows[9][1]).toBe('47');
    expect(rows[10][1]).toBe('');
    // A steady rise forecasts a rise: the seventh day above the first.
    expect(Number(rows[16][2])).toBeGreaterThan(Number(rows[10][2]));
  }, 30_000);
});
