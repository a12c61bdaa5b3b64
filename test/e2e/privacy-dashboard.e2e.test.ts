// The re-identification page in Chromium against a real manager: a new privacy
// officer replaces the one-time password, sees the page (an analyst does not),
// is told plainly what is missing from a form, and gets the matching candidate
// back — rendered as text even when it is markup.
import { pseudonymToken } from '@wardwatch/shared/pseudonyms';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PkiService } from '../../manager/src/pki/pki.service';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi } from '../support/dashboard-users';

describe('re-identification page in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  const created: Record<string, string> = {};
  let dialogs: { readonly count: number };

  const api = dashboardApi(() => manager);
  const signIn = (username: string, password: string) => submitSignIn(page, username, password);

  beforeAll(async () => {
    // Local-key mode on purpose: the expected tokens are computed with the site key.
    [manager, browser] = await Promise.all([
      startTestManager({ env: { WARDWATCH_PSEUDONYM_MODE: 'local-key' } }),
      launchChromium(),
    ]);
    const admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    created['olivia.officer'] = await api.createUser(admin, 'olivia.officer', 'privacy_officer');
    created['ana.lyst'] = await api.createUser(admin, 'ana.lyst', 'analyst');
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('lets an admin create a user (one-time password shown once) and disable it, without a re-identification page', async () => {
    await page.goto(manager.httpUrl);
    await signIn('admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-users').click();
    expect(await page.getByTestId('nav-privacy').count()).toBe(0);
    await page.getByTestId('user-name').fill('Bad Name');
    await page.getByTestId('user-create').click();
    await expect.poll(() => page.locator('.error').textContent()).toMatch(/username: /);
    await page.getByTestId('user-name').fill('night.nurse');
    await page.getByTestId('user-role').selectOption('analyst');
    await page.getByTestId('user-create').click();
    await expect.poll(() => page.getByTestId('one-time-password').textContent()).toMatch(/^[\w-]{20}$/);
    const row = page.locator('[data-testid="user-row"][data-username="night.nurse"]');
    await row.getByTestId('user-disable').click();
    await row.getByTestId('user-disable-confirm').click();
    await expect.poll(() => row.textContent()).toContain('disabled');
    await page.getByTestId('sign-out').click();
  });

  it('makes a new officer replace the one-time password, then shows the page', async () => {
    await signIn('olivia.officer', created['olivia.officer']);
    await page.getByTestId('password-current').fill(created['olivia.officer']);
    await page.getByTestId('password-new').fill('officer-passphrase-2026');
    await page.getByTestId('password-repeat').fill('officer-passphrase-2026');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('nav-privacy').click();
    await page.getByTestId('reid-token').waitFor();
  });

  it('names what is missing before sending, and shows the manager’s answer as text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    await page.getByTestId('reid-token').fill('not-a-token');
    await page.getByTestId('reid-submit').click();
    const problems = page.locator('ul.problems');
    await expect
      .poll(() => problems.textContent())
      .toMatch(/Pseudonym: not a WardWatch pseudonym.*Candidates: .*Reason: give a reason.*Case reference/);

    const token = pseudonymToken(manager.app.get(PkiService).pseudonymKey, 'user', hostile);
    await page.getByTestId('reid-token').fill(token);
    await page.getByTestId('reid-candidates').fill(`dr.house\n${hostile}\n`);
    await page.getByTestId('reid-reason').fill('Alert 42: letters copied to USB at 02:10');
    await page.getByTestId('reid-case').fill('INC-42');
    await page.getByTestId('reid-submit').click();
    const result = page.getByTestId('reid-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(`Behind ${token} is: ${hostile}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);

    await page.getByTestId('lookup-value').fill('nurse.jones');
    await page.getByTestId('lookup-reason').fill('Search the events of the person named in INC-42');
    await page.getByTestId('lookup-case').fill('INC-42');
    await page.getByTestId('lookup-submit').click();
    await expect
      .poll(() => page.getByTestId('lookup-result').textContent())
      .toContain(pseudonymToken(manager.app.get(PkiService).pseudonymKey, 'user', 'nurse.jones'));
  });

  it('offers an analyst no re-identification page, even by address', async () => {
    await page.getByTestId('sign-out').click();
    await signIn('ana.lyst', created['ana.lyst']);
    await page.getByTestId('password-current').fill(created['ana.lyst']);
    await page.getByTestId('password-new').fill('analyst-passphrase-2026');
    await page.getByTestId('password-repeat').fill('analyst-passphrase-2026');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('nav-fleet').waitFor();
    expect(await page.getByTestId('nav-privacy').count()).toBe(0);
    await page.goto(`${manager.httpUrl}/#/privacy`);
    await page.getByTestId('nav-fleet').waitFor();
    expect(await page.getByTestId('reid-token').count()).toBe(0);
  });
});
