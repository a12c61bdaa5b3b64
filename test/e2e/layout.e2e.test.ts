// The dashboard at 1,024 px wide, the narrowest screen it supports: on every page an admin can
// open, no heading, navigation link, column title, label or button breaks a word across lines,
// and nothing makes the page itself scroll sideways (wide tables scroll inside their frame).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { launchChromium, submitSignIn } from '../support/browser';

// Runs in the page: every word of these elements' text must sit on one line (one client rect).
const BROKEN_WORDS = `(() => {
  const broken = [];
  const selector = 'h1, h2, nav a, th, label, button, .page-head p';
  for (const element of document.querySelectorAll(selector)) {
    if (element.getClientRects().length === 0) continue;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent || '';
      for (const match of text.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(element.tagName.toLowerCase() + ': ' + match[0]);
      }
    }
  }
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  return { broken, overflow };
})()`;

describe('dashboard layout at 1,024 px', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('breaks no word and does not scroll sideways on any page', async () => {
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('sign-out').waitFor({ timeout: 15_000 });
    const links = page.locator('[data-testid^="nav-"]');
    const names: string[] = [];
    for (let i = 0; i < (await links.count()); i++) names.push((await links.nth(i).getAttribute('data-testid')) ?? '');
    expect(names.length).toBeGreaterThan(8);
    const problems: string[] = [];
    for (const name of names) {
      await page.getByTestId(name).click();
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(300);
      const found = await page.evaluate<{ broken: string[]; overflow: number }>(BROKEN_WORDS);
      for (const word of found.broken) problems.push(`${name}: ${word}`);
      if (found.overflow > 0) problems.push(`${name}: page scrolls ${found.overflow} px sideways`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
