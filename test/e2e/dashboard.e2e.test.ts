// An admin signs in to the real dashboard in a real browser and sees the agent
// online and its events, with workstation strings shown as text only; Pause holds
// live events and Resume shows them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventActionFacets } from '@wardwatch/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { ADMIN_PASSWORD, startFleet, type Fleet } from '../support/fleet';

describe('dashboard in Chromium', () => {
  let fleet: Fleet;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [fleet, browser] = await Promise.all([startFleet(), launchChromium()]);
    page = await browser.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await fleet?.stop();
  });

  it('signs in and shows the agent online', async () => {
    await page.goto(fleet.manager.httpUrl);
    await submitSignIn(page, 'admin', ADMIN_PASSWORD);
    // The overview is the landing page; the fleet is one click away.
    await page.getByTestId('nav-fleet').click();
    const row = page.getByTestId('agent-row').first();
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.getByTestId('agent-status').textContent(), { timeout: 15_000 }).toMatch(/online/i);
    // An admin may read policies, so the fleet shows each agent's tier too.
    const table = page.locator('table', { has: row });
    expect(await table.getByRole('columnheader').allTextContents()).toEqual([
      'Hostname',
      'OS',
      'Agent version',
      'Tags and unit',
      'Status',
      'Policy tier and compliance',
      'Components',
      'Queue',
      'Drops since start',
      'Last seen',
      'Enrolled',
    ]);
  });

  it('shows a new event live, with a hostile file name rendered as text', async () => {
    await page.getByTestId('nav-events').click();
    await page.getByTestId('live-indicator').waitFor();
    const dialogs = countDialogs(page);
    writeFileSync(join(fleet.phiFolder, '<img src=x onerror=alert(1)>.txt'), 'hello');
    await page.getByTestId('event-row').first().waitFor({ timeout: 15_000 });
    // The summary says it in words: "<user> created <path token> … (phi folder, 5 bytes, …)".
    await expect
      .poll(() => page.getByTestId('event-summary').allTextContents(), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/(created|wrote) .*\(phi folder, 5 bytes/)]));
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);
  });

  it('offers the actions that exist and filters by a time range', async () => {
    const rows = page.getByTestId('event-row');
    const shown = await rows.count();
    expect(shown).toBeGreaterThan(0);
    // The action field suggests what the stored events hold. The manager keeps its answer
    // for 30 s (the page asked before the file was written): wait for it, then reload.
    const actions = async () => {
      const answer = await page.request.get(`${fleet.manager.httpUrl}/api/v1/events/actions`);
      return EventActionFacets.parse(await answer.json()).items.map((item) => item.action);
    };
    const fileAction: unknown = expect.arrayContaining([expect.stringMatching(/^(create|write)$/)]);
    await expect.poll(actions, { timeout: 45_000, interval: 2_000 }).toEqual(fileAction);
    await page.reload();
    const suggested = async () => {
      const options = page.getByTestId('filter-action-values').locator('option');
      const values: (string | null)[] = [];
      for (let i = 0; i < (await options.count()); i++) values.push(await options.nth(i).getAttribute('value'));
      return values;
    };
    await expect.poll(suggested, { timeout: 15_000 }).toEqual(fileAction);
    await rows.first().waitFor({ timeout: 15_000 });
    // A range that ended a day ago holds none of them; "Last hour" brings them back.
    const dayAgo = new Date(Date.now() - 86_400_000);
    const two = (n: number) => String(n).padStart(2, '0');
    const local = `${dayAgo.getFullYear()}-${two(dayAgo.getMonth() + 1)}-${two(dayAgo.getDate())}T${two(dayAgo.getHours())}:${two(dayAgo.getMinutes())}`;
    await page.getByTestId('filter-to').fill(local);
    await page.getByTestId('filter-apply').click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId('filter-range-3600000').click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('filter-to').inputValue()).toBe('');
  }, 90_000);

  it('holds live events while paused and shows them on resume', async () => {
    const rows = page.getByTestId('event-row');
    const indicator = page.getByTestId('live-indicator');
    await expect.poll(() => indicator.getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await indicator.getAttribute('data-state')).toBe('paused');
    const before = await rows.count();
    writeFileSync(join(fleet.phiFolder, 'while-paused.txt'), 'held');
    await expect.poll(() => indicator.textContent(), { timeout: 15_000 }).toMatch(/^Paused \([1-9]\d* new\)$/);
    expect(await rows.count()).toBe(before);
    await page.getByRole('button', { name: 'Resume' }).click();
    expect(await indicator.getAttribute('data-state')).toBe('live');
    await expect.poll(() => rows.count(), { timeout: 5_000 }).toBeGreaterThan(before);
  }, 60_000);
});
