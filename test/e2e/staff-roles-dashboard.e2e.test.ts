// The staff roles panel on the playbooks page, in Chromium against a real manager: a bad
// token is refused in the form, a role is set and replaced, 55 roles page as 50 + 5, and a
// removal needs a confirmation and leaves an audit record.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_PASSWORD,
  jsonApi,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

const token = (n: number) => `u_${n.toString(16).padStart(16, '0')}`;

describe('staff roles in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  let dialogs: { readonly count: number };
  const api = jsonApi(() => manager);

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    const cookie = await api.login('admin', TEST_ADMIN_PASSWORD);
    for (let n = 1; n <= 55; n++) {
      const response = await api.call('PUT', `/api/v1/staff-roles/${token(n)}`, { role: 'physician' }, cookie);
      expect(response.status).toBe(200);
    }
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('sets, replaces, pages and removes staff roles', async () => {
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-playbooks').click();
    const rows = page.getByTestId('staff-role-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(50);
    await page.getByTestId('staff-roles-pager-next').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(5);
    await page.getByTestId('staff-roles-pager-previous').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(50);

    // Refused in the form: not a token.
    await page.getByTestId('staff-role-token').fill('<b>alice</b>');
    await page.getByTestId('staff-role-save').click();
    const panel = page.getByRole('region', { name: 'Staff roles' });
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('user token:');

    // Set, then replace: one row, the newer role.
    const target = token(0xabc);
    await page.getByTestId('staff-role-token').fill(target);
    await page.getByTestId('staff-role-role').selectOption('pharmacist');
    await page.getByTestId('staff-role-save').click();
    await expect.poll(() => page.getByTestId('staff-role-notice').textContent()).toBe(`${target} is now Pharmacist.`);
    await page.getByTestId('staff-role-token').fill(target);
    await page.getByTestId('staff-role-role').selectOption('nurse');
    await page.getByTestId('staff-role-save').click();
    await expect.poll(() => page.getByTestId('staff-role-notice').textContent()).toBe(`${target} is now Nurse.`);
    const row = page.locator(`[data-testid="staff-role-row"][data-user-token="${target}"]`);
    await page.getByTestId('staff-roles-pager-next').click();
    await expect.poll(() => row.getByTestId('staff-role-name').textContent(), { timeout: 10_000 }).toBe('Nurse');

    // Removal asks first.
    await row.getByTestId('staff-role-remove').click();
    await row.getByTestId('staff-role-remove-confirm').click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    const cookie = await api.login('admin', TEST_ADMIN_PASSWORD);
    const listed = (await (await api.call('GET', '/api/v1/staff-roles?limit=500', undefined, cookie)).json()) as {
      items: { userToken: string }[];
    };
    expect(listed.items.map((item) => item.userToken)).not.toContain(target);
    expect(listed.items).toHaveLength(55);
    const audit = (await (
      await api.call('GET', '/api/v1/audit?action=staff_role.remove&actor=admin', undefined, cookie)
    ).json()) as { items: unknown[] };
    expect(audit.items).toHaveLength(1);
    expect(JSON.stringify(audit.items[0])).toContain(target);
    expect(dialogs.count).toBe(0);
  }, 90_000);
});
