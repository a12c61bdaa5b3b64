// An admin signs in to the real dashboard in a real browser and sees the agent
// online and its events, with workstation strings shown as text only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  });

  it('shows a new event live, with a hostile file name rendered as text', async () => {
    await page.getByTestId('nav-events').click();
    await page.getByTestId('live-indicator').waitFor();
    const dialogs = countDialogs(page);
    writeFileSync(join(fleet.phiFolder, '<img src=x onerror=alert(1)>.txt'), 'hello');
    await page.getByTestId('event-row').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);
  });
});
