// Looking after accounts in Chromium against a real manager, where second factors are optional:
// an admin turns one on from the account page, replaces the recovery codes with a current code
// (the old ones stop working, a new one signs in once) and turns it off again with a code; and an
// admin signs a user out everywhere from the Users page, which sends that user's open dashboard
// back to sign-in.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TotpDevice } from '../../manager/src/auth/mfa/totp-device.fixture';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi } from '../support/dashboard-users';

describe('accounts in the dashboard', () => {
  let manager: TestManager;
  let browser: Browser;
  const api = dashboardApi(() => manager);

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('replaces the recovery codes and turns the second factor off, each with a current code', async () => {
    const page = await (await browser.newContext()).newPage();
    const dialogs = countDialogs(page);
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-account').click();
    await expect.poll(() => page.getByTestId('mfa-state').textContent()).toContain('Off:');
    await page.getByTestId('mfa-begin').click();
    const device = new TotpDevice(((await page.getByTestId('mfa-secret').textContent()) ?? '').trim());
    await page.getByTestId('mfa-confirm-code').fill(await device.nextCode());
    await page.getByTestId('mfa-confirm').click();
    const codes = page.getByTestId('mfa-recovery-codes').locator('li');
    await codes.first().waitFor();
    const first = (await codes.allTextContents()).map((code) => code.trim());
    expect(first).toHaveLength(10);
    await page.getByTestId('mfa-codes-saved').click();
    await expect.poll(() => page.getByTestId('mfa-state').textContent()).toContain('10 recovery codes left');

    // New codes: not without 6 digits, nor with a wrong code; then with the app's code.
    await page.getByTestId('mfa-regenerate-code').fill('12');
    await page.getByTestId('mfa-regenerate').click();
    await expect.poll(() => page.locator('.error').textContent()).toContain('Enter the 6 digits');
    await page.getByTestId('mfa-regenerate-code').fill(device.lastCode());
    await page.getByTestId('mfa-regenerate').click();
    await expect.poll(() => page.locator('.error').textContent()).toContain('used already');
    expect(await page.getByTestId('mfa-recovery-codes').count()).toBe(0);
    await page.getByTestId('mfa-regenerate-code').fill(await device.nextCode());
    await page.getByTestId('mfa-regenerate').click();
    await page.getByTestId('mfa-recovery-codes').waitFor();
    const second = (await codes.allTextContents()).map((code) => code.trim());
    expect(second).toHaveLength(10);
    expect(second.filter((code) => first.includes(code))).toEqual([]);
    await page.getByTestId('mfa-codes-saved').click();

    // An old recovery code no longer signs in; a new one does, once.
    await page.getByTestId('sign-out').click();
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('mfa-code').fill(first[0]);
    await page.getByTestId('mfa-submit').click();
    await expect.poll(() => page.locator('.error').textContent()).toContain('not accepted');
    await page.getByTestId('mfa-code').fill(second[0]);
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('nav-account').click();
    await expect.poll(() => page.getByTestId('mfa-state').textContent()).toContain('9 recovery codes left');

    // Off, with a current code: the next sign-in asks for the password only.
    await page.getByTestId('mfa-disable-code').fill(await device.nextCode());
    await page.getByTestId('mfa-disable').click();
    await expect.poll(() => page.getByTestId('mfa-state').textContent()).toContain('Off:');
    await page.getByTestId('sign-out').click();
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-users').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('mfa-code').count()).toBe(0);

    const admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    const audit = (await (await api.call('GET', '/api/v1/audit?limit=100', undefined, admin)).json()) as {
      items: { actor: string; action: string }[];
    };
    const mfa = audit.items
      .filter((r) => r.actor === 'admin' && r.action.startsWith('auth.mfa_'))
      .map((r) => r.action)
      .reverse();
    expect(mfa).toEqual(
      expect.arrayContaining(['auth.mfa_enabled', 'auth.mfa_recovery_codes_regenerated', 'auth.mfa_disabled']),
    );
    expect(mfa.indexOf('auth.mfa_recovery_codes_regenerated')).toBeLessThan(mfa.indexOf('auth.mfa_disabled'));
    expect(dialogs.count).toBe(0);
    await page.context().close();
  }, 150_000);

  it("signs a user out everywhere from the Users page, ending the user's open dashboard", async () => {
    const admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    const tom = await api.addUser(admin, 'it.tom', 'it_staff');
    const user = await (await browser.newContext()).newPage();
    await user.goto(manager.httpUrl);
    await submitSignIn(user, tom.username, tom.password);
    await user.getByTestId('nav-actions').waitFor({ timeout: 15_000 });
    expect((await api.call('GET', '/api/v1/auth/me', undefined, tom.cookie)).status).toBe(200);

    const page = await (await browser.newContext()).newPage();
    const dialogs = countDialogs(page);
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-users').click();
    const row = page.locator('[data-testid="user-row"][data-username="it.tom"]');
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('user-sign-out-everywhere').click();
    await expect
      .poll(() => page.getByTestId('user-notice').textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toMatch(/^it\.tom: [2-9] session\(s\) ended\.$/);

    // Both of its sessions are over: the API's and the browser's, which is back at sign-in.
    expect((await api.call('GET', '/api/v1/auth/me', undefined, tom.cookie)).status).toBe(401);
    await user.getByTestId('nav-events').click();
    await user.getByTestId('login-username').waitFor({ timeout: 15_000 });
    // The admin who did it is still signed in.
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-row').first().waitFor({ timeout: 15_000 });
    expect(dialogs.count).toBe(0);
  }, 60_000);
});
