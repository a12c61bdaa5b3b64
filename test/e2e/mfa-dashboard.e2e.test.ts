// Second factors in Chromium against a real manager that requires one of admins: the
// admin is held to enrolling (secret shown as text, confirmed with a code computed here
// from that secret by the real TOTP code), sees the recovery codes once, then signs in
// with a code; a replayed code is refused, a recovery code works once.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TotpDevice } from '../../manager/src/auth/mfa/totp-device.fixture';
import {
  startTestManager,
  TEST_ADMIN_PASSWORD,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

describe('second factor in the dashboard', () => {
  let manager: TestManager;
  let browser: Browser;

  beforeAll(async () => {
    [manager, browser] = await Promise.all([
      startTestManager({ env: { WARDWATCH_MFA_REQUIRED_ROLES: 'admin' } }),
      launchChromium(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('enrols the admin, then signs in with a computed code; refuses a replay; a recovery code works once', async () => {
    const page = await browser.newPage();
    const dialogs = countDialogs(page);
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);

    // Held to enrolling: no navigation, even by address.
    await page.getByTestId('mfa-begin').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Set up a second factor');
    await page.goto(`${manager.httpUrl}/#/users`);
    await page.getByTestId('mfa-begin').waitFor();
    expect(await page.getByTestId('nav-users').count()).toBe(0);

    await page.getByTestId('mfa-begin').click();
    const secret = ((await page.getByTestId('mfa-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.getByTestId('mfa-uri').textContent()).toContain(
      `otpauth://totp/WardWatch:admin?secret=${secret}`,
    );
    const device = new TotpDevice(secret);
    await page.getByTestId('mfa-confirm-code').fill('000000');
    await page.getByTestId('mfa-confirm').click();
    await expect.poll(() => page.locator('.error').textContent()).toContain('wrong code');
    await page.getByTestId('mfa-confirm-code').fill(await device.nextCode());
    await page.getByTestId('mfa-confirm').click();
    const codes = page.getByTestId('mfa-recovery-codes').locator('li');
    await codes.first().waitFor();
    const recoveryCodes = (await codes.allTextContents()).map((code) => code.trim());
    expect(recoveryCodes).toHaveLength(10);
    await page.getByTestId('mfa-codes-saved').click();
    await page.getByTestId('nav-users').waitFor();

    // Sign in again: the password, then a code. The code that confirmed the enrolment is spent.
    await page.getByTestId('sign-out').click();
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('mfa-code').fill(device.lastCode());
    await page.getByTestId('mfa-submit').click();
    await expect.poll(() => page.locator('.error').textContent()).toContain('not accepted');
    await page.getByTestId('mfa-code').fill(await device.nextCode());
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('nav-users').waitFor();

    // A recovery code signs in once.
    await page.getByTestId('sign-out').click();
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('mfa-code').fill(recoveryCodes[0]);
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('nav-users').waitFor();
    await page.getByTestId('nav-account').click();
    await expect.poll(() => page.getByTestId('mfa-state').textContent()).toContain('9 recovery codes left');
    await page.getByTestId('sign-out').click();
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('mfa-code').fill(recoveryCodes[0]);
    await page.getByTestId('mfa-submit').click();
    await expect.poll(() => page.locator('.error').textContent()).toContain('not accepted');
    expect(dialogs.count).toBe(0);
    await page.close();
  }, 120_000);
});
