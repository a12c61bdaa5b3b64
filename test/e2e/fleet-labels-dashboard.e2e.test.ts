// Workstation tags and unit on the fleet page in Chromium against a real manager: an
// admin edits them inline, a refused tag shows its problem beside the field (nothing is
// sent), the saved values show as text (a unit holding markup stays text), and the
// change is in the audit trail. An analyst sees the labels but no Edit, and the
// manager refuses the analyst's PATCH all the same.
import { AgentPage } from '@wardwatch/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_PASSWORD,
  insertOfflineAgent,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi } from '../support/dashboard-users';

const HOSTILE_UNIT = '<img src=x onerror=alert(1)> Ward 3';

describe('workstation labels on the fleet page in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  let dialogs: { readonly count: number };
  let admin = '';
  const analystPassword = 'ana.lyst-passphrase-2026';

  const api = dashboardApi(() => manager);
  const row = () => page.locator('[data-testid="agent-row"][data-agent-id="agent-ws12"]');

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    await api.addUser(admin, 'ana.lyst', 'analyst', analystPassword);
    await insertOfflineAgent(manager, 'agent-ws12', 'ward3-ws12');
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('lets an admin set tags and unit inline, with problems shown by field, and audits it', async () => {
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    // The overview is the landing page; the fleet is one click away.
    await page.getByTestId('nav-fleet').click();
    await row().waitFor({ timeout: 15_000 });
    expect(await row().getByTestId('agent-unit').textContent()).toBe('no unit');
    await row().getByTestId('agent-labels-edit').click();

    let patches = 0;
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches += 1;
    });
    await row().getByTestId('agent-tags-input').fill('shared-clinical, ICU');
    await row().getByTestId('agent-unit-input').fill('x'.repeat(65));
    await row().getByTestId('agent-labels-save').click();
    expect(await row().getByTestId('agent-tags-error').textContent()).toBe(
      "tag 'ICU': use 1–32 lower-case letters, digits or dashes",
    );
    expect(await row().getByTestId('agent-unit-error').textContent()).toMatch(/64/);
    expect(patches).toBe(0);

    await row().getByTestId('agent-tags-input').fill('shared-clinical, icu');
    await row().getByTestId('agent-unit-input').fill(HOSTILE_UNIT);
    await row().getByTestId('agent-labels-save').click();
    await expect.poll(() => row().getByTestId('agent-tag').allTextContents()).toEqual(['shared-clinical', 'icu']);
    expect(patches).toBe(1);
    expect(await row().getByTestId('agent-unit').textContent()).toBe(HOSTILE_UNIT);
    expect(await page.locator('img').count()).toBe(0);

    const agents = AgentPage.parse(await (await api.call('GET', '/api/v1/agents', undefined, admin)).json());
    expect(agents.items[0]).toMatchObject({ tags: ['shared-clinical', 'icu'], unit: HOSTILE_UNIT });
    const audit = (await (await api.call('GET', '/api/v1/audit?limit=20', undefined, admin)).json()) as {
      items: { actor: string; action: string; target: string; details: unknown }[];
    };
    expect(audit.items.find((r) => r.action === 'agent.update' && r.target === 'agent-ws12')).toMatchObject({
      actor: 'admin',
      details: {
        before: { tags: [], unit: null },
        after: { tags: ['shared-clinical', 'icu'], unit: HOSTILE_UNIT },
      },
    });

    // An empty unit clears it; Cancel leaves everything as it was.
    await row().getByTestId('agent-labels-edit').click();
    expect(await row().getByTestId('agent-tags-input').inputValue()).toBe('shared-clinical, icu');
    await row().getByTestId('agent-unit-input').fill('');
    await row().getByTestId('agent-labels-save').click();
    await expect.poll(() => row().getByTestId('agent-unit').textContent()).toBe('no unit');
    await row().getByTestId('agent-labels-edit').click();
    await row().getByTestId('agent-tags-input').fill('pharmacy');
    await row().getByTestId('agent-labels-cancel').click();
    expect(await row().getByTestId('agent-tag').allTextContents()).toEqual(['shared-clinical', 'icu']);
    expect(patches).toBe(2);
    expect(dialogs.count).toBe(0);
    await page.getByTestId('sign-out').click();
  }, 60_000);

  it('shows an analyst the labels without Edit; the manager refuses the analyst’s PATCH', async () => {
    await submitSignIn(page, 'ana.lyst', analystPassword);
    // The overview is the landing page; the fleet is one click away.
    await page.getByTestId('nav-fleet').click();
    await row().waitFor({ timeout: 15_000 });
    expect(await row().getByTestId('agent-tag').allTextContents()).toEqual(['shared-clinical', 'icu']);
    expect(await row().getByTestId('agent-labels-edit').count()).toBe(0);
    const cookie = await api.signIn('ana.lyst', analystPassword);
    const refused = await api.call('PATCH', '/api/v1/agents/agent-ws12', { tags: ['icu'] }, cookie);
    expect(refused.status).toBe(403);
    expect(dialogs.count).toBe(0);
  }, 30_000);
});
