// The policy editor and the Fleet page's policy column in Chromium against a real
// manager: an admin sees the three default tiers, types a bad value and sees the problem
// inline by field, fixes it and saves version 2; pins a workstation to lockdown from the
// Fleet page; and a version that drops the pinned tier is refused by the manager, its
// reason shown on the page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTestAgent, type TestAgent } from '../../manager/src/testing/test-agent.fixture';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

interface EditableDocument {
  tiers: { id: string; name: string; settings: Record<string, unknown> }[];
}

describe('policies in Chromium', () => {
  let manager: TestManager;
  let agent: TestAgent;
  let browser: Browser;
  let page: Page;
  let dialogs: { readonly count: number };

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    agent = await enrollTestAgent(manager);
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    agent?.close();
    await browser?.close();
    await manager?.stop();
  });

  it('edits the policy, shows problems by field, and saves version 2 after the fix', async () => {
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-policies').click();
    const tiers = page.getByTestId('policy-tier-name');
    await expect.poll(() => tiers.allTextContents(), { timeout: 15_000 }).toEqual(['Baseline', 'Elevated', 'Lockdown']);

    const editor = page.getByTestId('policy-json');
    const original = JSON.parse(await editor.inputValue()) as EditableDocument;
    const bad = structuredClone(original);
    bad.tiers[2].settings.removableMedia = 'sometimes';
    bad.tiers[0].settings.idleLockSeconds = 999_999;
    await editor.fill(JSON.stringify(bad, null, 2));
    const problems = page.getByTestId('policy-problem');
    await expect.poll(() => problems.count()).toBe(2);
    const texts = await problems.allTextContents();
    expect(texts.some((t) => t.startsWith('tiers.2.settings.removableMedia:'))).toBe(true);
    expect(texts.some((t) => t.startsWith('tiers.0.settings.idleLockSeconds:'))).toBe(true);
    expect(await page.getByTestId('policy-save').isDisabled()).toBe(true);

    const fixed = structuredClone(original);
    fixed.tiers[2].name = 'Quarantine <b>now</b>';
    await editor.fill(JSON.stringify(fixed, null, 2));
    await page.getByTestId('policy-valid').waitFor();
    await page.getByTestId('policy-comment').fill('renamed lockdown');
    await page.getByTestId('policy-save').click();
    await expect
      .poll(() => page.getByTestId('policy-current').textContent(), { timeout: 10_000 })
      .toMatch(/^Version 2, saved .* by admin — renamed lockdown$/);
    // Rendered as text, never as markup.
    expect(await tiers.nth(2).textContent()).toBe('Quarantine <b>now</b>');
    expect(await page.locator('[data-testid="policy-tier-name"] b').count()).toBe(0);
  }, 60_000);

  it('pins a workstation from the Fleet page; a version without that tier is refused with the reason', async () => {
    await page.getByTestId('nav-fleet').click();
    const row = page.locator(`[data-testid="agent-row"][data-agent-id="${agent.agentId}"]`);
    await expect.poll(() => row.getByTestId('agent-policy-tier').textContent(), { timeout: 15_000 }).toBe('baseline');
    expect(await row.getByTestId('agent-policy-status').textContent()).toBe('unknown');
    await row.getByTestId('agent-policy-pin').selectOption('lockdown');
    await expect.poll(() => row.getByTestId('agent-policy-tier').textContent(), { timeout: 10_000 }).toBe('lockdown');
    expect(await row.getByTestId('agent-policy').textContent()).toContain('(pinned)');

    await page.getByTestId('nav-policies').click();
    const editor = page.getByTestId('policy-json');
    await editor.waitFor();
    const current = JSON.parse(await editor.inputValue()) as EditableDocument;
    await editor.fill(JSON.stringify({ tiers: current.tiers.slice(0, 2) }, null, 2));
    await page.getByTestId('policy-valid').waitFor();
    await page.getByTestId('policy-save').click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 10_000 })
      .toContainEqual(expect.stringContaining('tier "lockdown" is pinned on 1 workstations'));
    expect(await page.getByTestId('policy-current').textContent()).toMatch(/^Version 2,/);
    expect(dialogs.count).toBe(0);
  }, 60_000);
});
