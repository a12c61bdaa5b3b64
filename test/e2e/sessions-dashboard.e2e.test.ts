// Sessions in Chromium against a real manager started without WARDWATCH_ADMIN_PASSWORD:
// the generated admin password is a one-time password, so the first sign-in shows only
// the change-password form; and a user whose role an admin changes is sent back to the
// sign-in page from an open, live events page (its stream closed by the manager).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestManager, type TestManager } from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi } from '../support/dashboard-users';

const ADMIN_PASSWORD = 'admin-passphrase-of-my-own';
const NURSE_PASSWORD = 'nurse-passphrase-of-my-own';

describe('sessions in the dashboard', () => {
  let manager: TestManager;
  let browser: Browser;
  let generated = '';

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager({ adminPassword: null }), launchChromium()]);
    generated = /Admin password \(shown once\): (\S+)/.exec(manager.banner.join(''))?.[1] ?? '';
    expect(generated).toMatch(/^[\w-]{24}$/);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  const changePasswordForm = async (page: Page, current: string, next: string, repeat = next) => {
    await page.getByTestId('password-current').fill(current);
    await page.getByTestId('password-new').fill(next);
    await page.getByTestId('password-repeat').fill(repeat);
    await page.getByTestId('password-submit').click();
  };

  it('makes the first admin replace the generated password before anything else', async () => {
    const page = await browser.newPage();
    const dialogs = countDialogs(page);
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', generated);
    await page.getByTestId('password-submit').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Choose your password');
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    // the form is all there is, even by address
    await page.goto(`${manager.httpUrl}/#/users`);
    await page.getByTestId('password-submit').waitFor();
    expect(await page.getByTestId('user-create').count()).toBe(0);

    await changePasswordForm(page, generated, ADMIN_PASSWORD, `${ADMIN_PASSWORD}!`);
    await expect.poll(() => page.locator('.error').textContent()).toContain('The two new passwords differ.');
    await changePasswordForm(page, generated, ADMIN_PASSWORD);
    await page.getByTestId('nav-users').waitFor();
    await page.reload();
    await page.getByTestId('nav-users').waitFor();
    expect(await page.getByTestId('password-submit').count()).toBe(0);

    await page.getByTestId('sign-out').click();
    await submitSignIn(page, 'admin', generated);
    await expect.poll(() => page.locator('.error').textContent()).toContain('Wrong username or password.');
    await submitSignIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('nav-users').waitFor();
    expect(dialogs.count).toBe(0);
    await page.close();
  }, 60_000);

  it("sends a user back to sign-in from a live events page when an admin changes the user's role", async () => {
    const api = dashboardApi(() => manager);
    const oneTimePassword = await api.createUser(await api.signIn('admin', ADMIN_PASSWORD), 'night.nurse', 'analyst');

    const nurse = await (await browser.newContext()).newPage();
    await nurse.goto(manager.httpUrl);
    await submitSignIn(nurse, 'night.nurse', oneTimePassword);
    await changePasswordForm(nurse, oneTimePassword, NURSE_PASSWORD);
    await nurse.getByTestId('nav-events').click();
    await expect.poll(() => nurse.getByTestId('live-indicator').getAttribute('data-state')).toBe('live');
    expect(await nurse.getByTestId('nav-privacy').count()).toBe(0);

    const admin = await (await browser.newContext()).newPage();
    await admin.goto(manager.httpUrl);
    await submitSignIn(admin, 'admin', ADMIN_PASSWORD);
    await admin.getByTestId('nav-users').click();
    const row = admin.locator('[data-testid="user-row"][data-username="night.nurse"]');
    await row.getByTestId('user-role-change').selectOption('privacy_officer');
    await expect
      .poll(() => admin.getByTestId('user-notice').textContent())
      .toBe('night.nurse is now Privacy officer; signed out everywhere.');

    // The stream closes at once; the browser reopens it, is refused, and the page asks who is there.
    await nurse.getByTestId('login-username').waitFor({ timeout: 10_000 });
    await submitSignIn(nurse, 'night.nurse', NURSE_PASSWORD);
    await nurse.getByTestId('nav-privacy').waitFor(); // the new role, from this sign-in on
  }, 60_000);
});
