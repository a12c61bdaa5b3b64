// The playbook editor in Chromium against a real manager: an admin opens a default
// playbook, types a bad value and sees the problem inline (path and message), fixes it,
// saves, and sees version 2 — in the list and among the versions, the first kept.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

describe('playbook editor in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  let dialogs: { readonly count: number };

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('edits a playbook, shows a validation error, and saves version 2 after the fix', async () => {
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-playbooks').click();
    const row = page.locator('[data-testid="playbook-row"][data-playbook-id="default-usb-exfiltration"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('playbook-version').textContent()).toBe('1');
    await row.getByTestId('playbook-open').click();

    const editor = page.getByTestId('playbook-json');
    const original = JSON.parse(await editor.inputValue()) as {
      rules: { when: Record<string, unknown>; then: Record<string, unknown>[] }[];
    };
    expect(original.rules[0].then[0]).toMatchObject({ kind: 'block_removable', mode: 'approve' });

    // A bad value: a score above 100, and a tag with capitals and a script.
    const bad = structuredClone(original);
    bad.rules[0].when.minScore = 150;
    bad.rules[0].when.tagsAnyOf = ['<img src=x onerror=alert(1)>'];
    await editor.fill(JSON.stringify(bad, null, 2));
    const problems = page.getByTestId('playbook-problem');
    await expect.poll(() => problems.count()).toBe(2);
    const texts = await problems.allTextContents();
    expect(texts.some((t) => t.startsWith('rules.0.when.minScore:'))).toBe(true);
    expect(texts.some((t) => t.startsWith('rules.0.when.tagsAnyOf.0:'))).toBe(true);
    expect(await page.getByTestId('playbook-save').isDisabled()).toBe(true);

    // Fixed: a score the schema takes, and a proper tag.
    const fixed = structuredClone(original);
    fixed.rules[0].when.minScore = 70;
    fixed.rules[0].when.tagsAnyOf = ['pharmacy'];
    await editor.fill(JSON.stringify(fixed, null, 2));
    await page.getByTestId('playbook-valid').waitFor();
    await page.getByTestId('playbook-save').click();
    await expect
      .poll(() => page.getByTestId('playbook-saved').textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toBe('Saved version 2.');
    await expect.poll(() => row.getByTestId('playbook-version').textContent(), { timeout: 10_000 }).toBe('2');
    // The list's refresh to version 2 keeps the editor and its notice (no remount).
    expect(await page.getByTestId('playbook-saved').textContent({ timeout: 1_000 })).toBe('Saved version 2.');
    expect(await page.getByTestId('playbook-save').textContent()).toBe('Save as version 3');

    await page.getByTestId('playbook-versions').click();
    const versions = page.getByTestId('playbook-version-item');
    await expect.poll(() => versions.count()).toBe(2);
    expect(await versions.nth(0).textContent()).toMatch(/^version 2 by admin/);
    expect(await versions.nth(0).textContent()).toContain('"minScore": 70');
    expect(await versions.nth(1).textContent()).toMatch(/^version 1 by system/);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);
  }, 60_000);
});
