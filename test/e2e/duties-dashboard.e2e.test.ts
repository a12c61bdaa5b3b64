// The two-person rule in Chromium against a real manager (single-person site off), two
// people at two browsers: an admin asks for a privacy officer's account and sees it
// waiting (the manager refuses their own approval, the page says so); a second admin
// approves it, and denies another grant. A privacy officer asks a re-identification; a
// second officer sees the token, reason and case (never the candidates) and approves;
// the asker gets the answer once — a hostile candidate rendered as text.
import { pseudonymToken } from '@wardwatch/shared/pseudonyms';
import type { UserRole } from '@wardwatch/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../manager/src/auth/password.hasher';
import { UserRepository } from '../../manager/src/auth/user.repository';
import { PkiService } from '../../manager/src/pki/pki.service';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

const HOSTILE = '<img src=x onerror=alert(1)>';
const passwordOf = (username: string) => `${username}-passphrase-1`;

describe('two-person rule in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let first: Page;
  let second: Page;
  const dialogs: { readonly count: number }[] = [];

  /** An account that already exists, its one-time password long replaced. */
  const existing = async (username: string, role: UserRole) =>
    manager.app.get(UserRepository).insert({
      id: `id-${username}`,
      username,
      role,
      passwordHash: await manager.app.get(PasswordHasher).hash(passwordOf(username)),
      createdAt: Date.now(),
      disabledAt: null,
      mustChangePassword: false,
    });
  const signInAs = async (page: Page, username: string, password = passwordOf(username)) => {
    await page.goto(manager.httpUrl);
    await submitSignIn(page, username, password);
    await page.getByTestId('sign-out').waitFor();
  };
  const signOut = (page: Page) => page.getByTestId('sign-out').click();

  beforeAll(async () => {
    [manager, browser] = await Promise.all([
      // Local-key mode on purpose: the looked-up token is computed with the site key.
      startTestManager({ env: { WARDWATCH_SINGLE_PERSON_SITE: '', WARDWATCH_PSEUDONYM_MODE: 'local-key' } }),
      launchChromium(),
    ]);
    await existing('bob.admin', 'admin');
    await existing('dave.analyst', 'analyst');
    await existing('olivia.officer', 'privacy_officer');
    await existing('pete.officer', 'privacy_officer');
    // Two people: two browser contexts, each with its own session cookie.
    first = await (await browser.newContext()).newPage();
    second = await (await browser.newContext()).newPage();
    dialogs.push(countDialogs(first), countDialogs(second));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('keeps a new privacy officer disabled until a second admin approves; the asker cannot', async () => {
    await signInAs(first, 'admin', TEST_ADMIN_PASSWORD);
    await first.getByTestId('nav-users').click();
    await first.getByTestId('user-name').fill('carol.dpo');
    await first.getByTestId('user-role').selectOption('privacy_officer');
    await first.getByTestId('user-reason').fill(`New DPO ${HOSTILE}`);
    await first.getByTestId('user-create').click();
    await first.getByTestId('user-created-pending').waitFor();
    const carol = first.locator('[data-testid="user-row"][data-username="carol.dpo"]');
    await expect.poll(() => carol.textContent(), { timeout: 10_000 }).toContain('disabled');

    const asked = first.locator('[data-testid="grant-row"][data-username="carol.dpo"]');
    await expect
      .poll(() => asked.getByTestId('duty-cannot-decide').textContent(), { timeout: 15_000 })
      .toBe('Waiting for another admin: you asked for this, so you cannot approve it yourself.');
    expect(await asked.getByTestId('duty-approve').count()).toBe(0);
    expect(await asked.textContent()).toContain(`New DPO ${HOSTILE}`);
    expect(await first.locator('img').count()).toBe(0);
    // The manager refuses it too, whatever a page offers.
    const grantId = await first.evaluate(async () => {
      const answer = (await (await fetch('/api/v1/users/grants?state=pending')).json()) as { items: { id: string }[] };
      return answer.items[0].id;
    });
    const refused = await first.evaluate(async (id) => {
      const answer = await fetch(`/api/v1/users/grants/${id}/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return { status: answer.status, body: (await answer.json()) as { code?: string } };
    }, grantId);
    expect(refused).toMatchObject({ status: 403, body: { code: 'second_person_required' } });

    await signInAs(second, 'bob.admin');
    await second.getByTestId('nav-users').click();
    const toDecide = second.locator('[data-testid="grant-row"][data-username="carol.dpo"]');
    await toDecide.getByTestId('duty-approve').click();
    await expect
      .poll(() => second.getByTestId('grant-notice').textContent(), { timeout: 10_000 })
      .toBe('carol.dpo is now Privacy officer.');
    await expect
      .poll(() => second.locator('[data-testid="user-row"][data-username="carol.dpo"]').textContent(), {
        timeout: 10_000,
      })
      .toContain('active');
  }, 90_000);

  it('asks for an admin role from the role menu; the second admin denies it, the role stays', async () => {
    const dave = first.locator('[data-testid="user-row"][data-username="dave.analyst"]');
    await dave.getByTestId('user-role-change').selectOption('admin');
    await expect
      .poll(() => first.getByTestId('user-notice').textContent(), { timeout: 10_000 })
      .toBe('dave.analyst becomes Admin once another admin approves (see the grants below).');
    await first.locator('[data-testid="grant-row"][data-username="dave.analyst"]').waitFor();

    await second.getByTestId('nav-users').click();
    const grant = second.locator('[data-testid="grant-row"][data-username="dave.analyst"]');
    await expect.poll(() => grant.count(), { timeout: 15_000 }).toBe(1);
    await grant.getByTestId('duty-deny').click();
    await grant.getByTestId('duty-deny-reason').fill(HOSTILE);
    await grant.getByTestId('duty-deny-confirm').click();
    await expect
      .poll(() => second.getByTestId('grant-notice').textContent(), { timeout: 10_000 })
      .toBe('The grant to dave.analyst was denied.');
    await expect.poll(() => grant.count(), { timeout: 10_000 }).toBe(0);
    expect(await second.locator('[data-testid="user-row"][data-username="dave.analyst"]').textContent()).toContain(
      'Analyst',
    );
    await signOut(first);
    await signOut(second);
  }, 60_000);

  it('answers a re-identification only after a second officer approved it, once, to the asker', async () => {
    const token = pseudonymToken(manager.app.get(PkiService).pseudonymKey, 'user', HOSTILE);
    await signInAs(first, 'olivia.officer');
    await first.getByTestId('nav-privacy').click();
    await first.getByTestId('reid-token').fill(token);
    await first.getByTestId('reid-candidates').fill(`dr.house\n${HOSTILE}\n`);
    await first.getByTestId('reid-reason').fill('Alert 42: letters copied to USB at 02:10');
    await first.getByTestId('reid-case').fill('INC-42');
    // Alone, the manager refuses the answer on a site with two officers.
    await first.getByTestId('reid-submit').click();
    await expect
      .poll(() => first.locator('.reid-form .error').first().textContent(), { timeout: 10_000 })
      .toMatch(/a second privacy officer must approve this question first/);
    await first.getByTestId('reid-ask').click();
    await first.getByTestId('reid-asked').waitFor();
    const mine = first.getByTestId('reid-request');
    await expect
      .poll(() => mine.getByTestId('duty-cannot-decide').textContent(), { timeout: 15_000 })
      .toBe('Waiting for another privacy officer: you asked for this, so you cannot approve it yourself.');

    await signInAs(second, 'pete.officer');
    await second.getByTestId('nav-privacy').click();
    const theirs = second.getByTestId('reid-request');
    await expect.poll(() => theirs.count(), { timeout: 15_000 }).toBe(1);
    const seen = (await theirs.textContent()) ?? '';
    expect(seen).toContain(`Which of 2 candidate(s) is behind ${token}?`);
    expect(seen).toContain('INC-42');
    expect(seen).not.toContain('dr.house');
    expect(seen).not.toContain(HOSTILE);
    await theirs.getByTestId('duty-approve').click();
    await expect
      .poll(() => theirs.getByTestId('reid-request-state').textContent(), { timeout: 10_000 })
      .toBe('Approved');
    expect(await theirs.getByTestId('reid-run').count()).toBe(0);

    await expect.poll(() => mine.getByTestId('reid-request-state').textContent(), { timeout: 20_000 }).toBe('Approved');
    expect(await mine.getByTestId('reid-run-clear').inputValue()).toBe(`dr.house\n${HOSTILE}`);
    await mine.getByTestId('reid-run').click();
    await expect
      .poll(() => mine.getByTestId('reid-result').textContent(), { timeout: 10_000 })
      .toContain(`Behind ${token} is: ${HOSTILE}`);
    await expect
      .poll(() => mine.getByTestId('reid-request-state').textContent(), { timeout: 10_000 })
      .toBe('Approved and answered (used once)');
    expect(await mine.getByTestId('reid-run').count()).toBe(0);
    expect(await first.locator('img').count()).toBe(0);
    expect(dialogs.map((d) => d.count)).toEqual([0, 0]);
  }, 90_000);
});
