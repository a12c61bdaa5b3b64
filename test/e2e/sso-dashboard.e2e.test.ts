// Single sign-on in Chromium: the sign-in page offers "Sign in with SSO" when the manager has
// an OpenID provider (a real one, oidc-provider on loopback); the click goes through the
// provider's own login page and back, signed in with the role the provider's groups map to.
// A user whose groups map to no role comes back to the sign-in page with the reason.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestProvider,
  TEST_OIDC_CLIENT_ID,
  TEST_OIDC_CLIENT_SECRET,
  type TestProvider,
} from '../../manager/src/testing/oidc-provider.fixture';
import { startTestManager, type TestManager } from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium } from '../support/browser';
import { freePort } from '../support/private-postgres';

describe('single sign-on in the dashboard', () => {
  let provider: TestProvider;
  let manager: TestManager;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    provider = await startTestProvider(`http://127.0.0.1:${port}/api/v1/auth/oidc/callback`);
    [manager, browser] = await Promise.all([
      startTestManager({
        env: {
          WARDWATCH_HTTP_PORT: String(port),
          WARDWATCH_OIDC_ISSUER: provider.issuer,
          WARDWATCH_OIDC_CLIENT_ID: TEST_OIDC_CLIENT_ID,
          WARDWATCH_OIDC_CLIENT_SECRET: TEST_OIDC_CLIENT_SECRET,
          WARDWATCH_OIDC_SCOPES: 'openid profile groups',
          WARDWATCH_OIDC_ROLE_MAP: 'soc=analyst,ww-admins=admin',
        },
      }),
      launchChromium(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
    await provider?.stop();
  });

  /** From the sign-in page through the provider's login form as `login`. */
  async function ssoAs(login: string) {
    const page = await browser.newPage();
    const dialogs = countDialogs(page);
    await page.goto(manager.httpUrl);
    await page.getByTestId('login-sso').click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    return { page, dialogs };
  }

  it('signs a provider user in with the mapped role through the provider login page', async () => {
    provider.accounts.set('sub-nina', { preferred_username: 'nina', groups: ['nurses', 'soc'] });
    const { page, dialogs } = await ssoAs('sub-nina');
    await page.getByTestId('sign-out').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    expect(me).toEqual({ username: 'nina', role: 'analyst' });
    expect(dialogs.count).toBe(0);
    await page.close();
  }, 90_000);

  it('brings a user whose groups map to no role back to the sign-in page, with the reason', async () => {
    provider.accounts.set('sub-oscar', { preferred_username: 'oscar', groups: ['nurses'] });
    const { page } = await ssoAs('sub-oscar');
    await expect.poll(() => page.locator('.error').textContent()).toContain('no_role_mapping');
    expect(await page.getByTestId('sign-out').count()).toBe(0);
    await page.close();
  }, 90_000);

  it('offers no SSO button when the manager has no provider', async () => {
    const plain = await startTestManager();
    try {
      const page = await browser.newPage();
      // The status call must have been answered before the button's absence means anything.
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/oidc/status'));
      await page.goto(plain.httpUrl);
      await page.getByTestId('login-submit').waitFor();
      expect((await answered).status()).toBe(200);
      expect(await page.getByTestId('login-sso').count()).toBe(0);
      await page.close();
    } finally {
      await plain.stop();
    }
  }, 90_000);
});
