// Security keys in Chromium against a real manager that requires a second factor of
// admins: Chromium's own virtual authenticator (CDP WebAuthn domain, CTAP2 over USB,
// user verification) makes and signs with a real key; nothing on the page is faked.
// The admin, held to enrolling, adds a key on the account page and is shown ten recovery
// codes (the first factor); signs out; the second step offers only the key and, folded, a
// recovery code (no app code field); signs in once with a recovery code, once with password +
// key, then removes the key with a signature and is held to enrolling again.
// WebAuthn needs a secure context and a domain as RP ID: the page is opened at
// http://localhost:<port>, the origin the manager derives for a loopback listener.
import { createServer } from 'node:net';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestManager,
  TEST_ADMIN_PASSWORD,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

/** A port the OS says is free now (the manager binds it right after). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: false,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

describe('security keys in the dashboard', () => {
  let manager: TestManager;
  let browser: Browser;
  let origin = '';

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    [manager, browser] = await Promise.all([
      startTestManager({ env: { WARDWATCH_MFA_REQUIRED_ROLES: 'admin', WARDWATCH_HTTP_PORT: String(port) } }),
      launchChromium(),
    ]);
    expect(manager.config.mfa.publicOrigin?.origin).toBe(origin);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('adds a key while held to enrolling, signs in with password + key, removes it with a signature', async () => {
    const page = await browser.newPage();
    const dialogs = countDialogs(page);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

    await page.goto(origin);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('security-key-add').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Set up a second factor');
    expect(await page.evaluate(() => (globalThis as { isSecureContext?: boolean }).isSecureContext)).toBe(true);

    // No name, no key.
    await page.getByTestId('security-key-add').click();
    await expect.poll(() => page.locator('.error').first().textContent()).toContain('name');
    await page.getByTestId('security-key-new-name').fill('Blue <b>key</b>');
    await page.getByTestId('security-key-add').click();
    // The first factor comes with recovery codes, shown once before the page moves on.
    const shown = page.getByTestId('mfa-recovery-codes').locator('code');
    await shown.first().waitFor();
    const codes = await shown.allTextContents();
    expect(codes).toHaveLength(10);
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    await page.getByTestId('mfa-codes-saved').click();
    // The key satisfies the requirement: the gate lifts and the dashboard opens.
    await page.getByTestId('nav-users').waitFor();
    expect(await credentials()).toHaveLength(1);
    const [made] = await credentials();
    expect(made.rpId).toBe('localhost');

    await page.getByTestId('nav-account').click();
    await expect.poll(() => page.getByTestId('security-key-name').textContent()).toBe('Blue <b>key</b>');
    // The app section does not claim that sign-in asks for the password only.
    await expect.poll(() => page.getByTestId('mfa-state').textContent()).toContain('Security keys:');
    expect(await page.getByTestId('mfa-state').textContent()).toContain('10 recovery codes left');

    // Sign out; the password alone no longer opens the dashboard. Only the account's methods
    // are offered: the key, and a recovery code behind a fold; no field for an app's code.
    await page.getByTestId('sign-out').click();
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('mfa-security-key').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Use your security key');
    expect(await page.getByTestId('mfa-code').count()).toBe(0);
    expect(await page.getByTestId('mfa-recovery-code').isVisible()).toBe(false);
    await page.locator('[data-testid="mfa-recovery"] summary').click();
    await page.getByTestId('mfa-recovery-code').fill(codes[0]);
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('nav-users').waitFor();
    expect(await credentials()).toEqual([expect.objectContaining({ signCount: made.signCount })]);

    // And with the key.
    await page.getByTestId('sign-out').click();
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('mfa-security-key').click();
    await page.getByTestId('nav-users').waitFor();
    const [afterSignIn] = await credentials();
    expect(afterSignIn.signCount).toBeGreaterThan(made.signCount);

    // New recovery codes, signed with the key (there is no app to give a code).
    await page.getByTestId('nav-account').click();
    await page.getByTestId('security-key-recovery-codes').click();
    await page.getByTestId('mfa-recovery-codes').waitFor();
    const renewed = await page.getByTestId('mfa-recovery-codes').locator('code').allTextContents();
    expect(renewed).toHaveLength(10);
    expect(renewed.some((code) => codes.includes(code))).toBe(false);
    await page.getByTestId('mfa-codes-saved').click();
    await expect.poll(() => page.getByTestId('mfa-state').textContent()).toContain('10 recovery codes left');
    const [afterRenewal] = await credentials();
    expect(afterRenewal.signCount).toBeGreaterThan(afterSignIn.signCount);

    // Removing the key takes its signature; then the admin is held to enrolling again.
    await page.getByTestId('security-key-remove').click();
    await page.getByTestId('security-key-add').waitFor();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Set up a second factor');
    const [afterRemoval] = await credentials();
    expect(afterRemoval.signCount).toBeGreaterThan(afterRenewal.signCount);

    const rows = await manager.app
      .get(DataSource)
      .query<{ action: string }[]>(
        "SELECT action FROM audit_log WHERE action LIKE 'auth.security_key%' OR action IN ('auth.login', 'auth.mfa_recovery_code_used')",
      );
    const actions = rows.map((row) => row.action);
    expect(actions).toContain('auth.security_key_added');
    expect(actions).toContain('auth.security_key_removed');
    expect(actions).not.toContain('auth.security_key_refused');
    expect(actions).toContain('auth.mfa_recovery_code_used');
    expect(dialogs.count).toBe(0);
    await page.close();
  }, 120_000);
});
