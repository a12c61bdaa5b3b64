// Paging the approvals page in Chromium against a real manager (in-process, SQLite):
// more pending proposals than one page holds are all reachable with Next, each once,
// and Previous comes back to the same first page; a decision on page 2 takes the
// proposal off it and onto the decided list, which pages the same way.
import { ApprovalPage } from '@wardwatch/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_PAGE_SIZE, DECIDED_PAGE_SIZE } from '../../manager/dashboard/src/approvals/approval-display';
import { APPROVAL_REQUESTER, type ApprovalRequester } from '../../manager/src/approvals/approval-request';
import { ApprovalService } from '../../manager/src/approvals/approval.service';
import { RecordingCommandIssuer } from '../../manager/src/testing/fakes/recording-command-issuer.fake';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi } from '../support/dashboard-users';

const PENDING = PENDING_PAGE_SIZE + 5;
const DECIDED = DECIDED_PAGE_SIZE + 3;

describe('approvals paging in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  let dialogs: { readonly count: number };
  let cookie = '';
  const api = dashboardApi(() => manager);
  const pendingIds: string[] = [];
  const decidedIds: string[] = [];

  const propose = (n: number) =>
    manager.app.get<ApprovalRequester>(APPROVAL_REQUESTER).request({
      summary: `Block removable media on ward3-ws${n} <b>now</b>`,
      commands: [
        {
          agentId: `agent-ws${n}`,
          action: { $case: 'blockRemovable', value: { durationSeconds: 3_600 } },
          reason: 'patient files read in bulk',
          warningSeconds: 0,
          automatic: true,
          dryRun: false,
          expiresInSeconds: 600,
          decision: { source: 'playbook', playbookId: 'bulk-read', playbookVersion: 1, score: 80 },
        },
      ],
      playbookId: 'bulk-read',
      playbookVersion: 1,
      expiresInSeconds: 3_600,
      twoPersonReason: null,
    });
  /** The approval ids of the rows shown, top to bottom. */
  const ids = async (testId: string): Promise<string[]> =>
    Promise.all(
      (await page.getByTestId(testId).all()).map(async (row) => (await row.getAttribute('data-approval-id')) ?? ''),
    );
  /** What the API says the page holds, to compare the screen with. */
  const apiPage = async (state: string, limit: number, cursor?: string) =>
    ApprovalPage.parse(
      await (
        await api.call(
          'GET',
          `/api/v1/approvals?state=${state}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          undefined,
          cookie,
        )
      ).json(),
    );

  beforeAll(async () => {
    [manager, browser] = await Promise.all([
      startTestManager({ commandIssuer: new RecordingCommandIssuer() }),
      launchChromium(),
    ]);
    cookie = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    const service = manager.app.get(ApprovalService);
    for (let n = 0; n < DECIDED; n++) {
      const { approvalId } = await propose(1000 + n);
      await service.reject(approvalId, 'admin', `not needed ${n}`);
      decidedIds.push(approvalId);
    }
    for (let n = 0; n < PENDING; n++) pendingIds.push((await propose(n)).approvalId);
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('reaches every pending proposal with Next, each once, and comes back with Previous', async () => {
    await page.goto(`${manager.httpUrl}/#/approvals`);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-approvals').click();
    await expect.poll(() => ids('approval-row'), { timeout: 15_000 }).toHaveLength(PENDING_PAGE_SIZE);
    const first = await ids('approval-row');
    const expected = await apiPage('pending', PENDING_PAGE_SIZE);
    expect(first).toEqual(expected.items.map((a) => a.id));
    expect(await page.getByTestId('pending-count').textContent()).toBe(
      `${PENDING_PAGE_SIZE} pending on page 1, more on the next`,
    );
    expect(await page.getByTestId('pending-pager-previous').isDisabled()).toBe(true);

    await page.getByTestId('pending-pager-next').click();
    await expect.poll(() => ids('approval-row')).toHaveLength(PENDING - PENDING_PAGE_SIZE);
    const second = await ids('approval-row');
    expect(await page.getByTestId('pending-count').textContent()).toBe(
      `${PENDING - PENDING_PAGE_SIZE} pending on page 2`,
    );
    expect(await page.getByTestId('pending-pager-next').isDisabled()).toBe(true);
    expect(new Set([...first, ...second]).size).toBe(PENDING);
    expect([...first, ...second].sort()).toEqual([...pendingIds].sort());
    // The summary's markup stays text.
    expect(await page.locator('.approval-summary').first().textContent()).toMatch(
      /^Block removable media on ward3-ws\d+ <b>now<\/b>$/,
    );
    expect(await page.locator('b').count()).toBe(0);

    await page.getByTestId('pending-pager-previous').click();
    await expect.poll(() => ids('approval-row')).toEqual(first);
    expect(await page.getByTestId('pending-pager-page').textContent()).toBe('page 1');
    expect(dialogs.count).toBe(0);
  }, 60_000);

  it('takes a decision on page 2 off it, onto the decided list, which pages too', async () => {
    await page.getByTestId('pending-pager-next').click();
    await expect.poll(() => ids('approval-row')).toHaveLength(PENDING - PENDING_PAGE_SIZE);
    const [target] = await ids('approval-row');
    const card = page.locator(`[data-testid="approval-row"][data-approval-id="${target}"]`);
    await card.getByTestId('approval-comment').fill('ward manager asked for it');
    await card.getByTestId('approval-reject').click();
    await expect.poll(() => ids('approval-row')).toHaveLength(PENDING - PENDING_PAGE_SIZE - 1);
    expect(await ids('approval-row')).not.toContain(target);

    // Decided, newest first: the rejection just made heads the first page.
    await expect.poll(() => ids('decided-row')).toHaveLength(DECIDED_PAGE_SIZE);
    const decidedFirst = await ids('decided-row');
    const firstApi = await apiPage('decided', DECIDED_PAGE_SIZE);
    expect(decidedFirst).toEqual(firstApi.items.map((a) => a.id));
    await page.getByTestId('decided-pager-next').click();
    await expect.poll(() => ids('decided-row')).toHaveLength(DECIDED + 1 - DECIDED_PAGE_SIZE);
    const decidedSecond = await ids('decided-row');
    expect([...decidedFirst, ...decidedSecond].sort()).toEqual([...decidedIds, target].sort());
    // The pending list stayed on its own page 2.
    expect(await page.getByTestId('pending-pager-page').textContent()).toBe('page 2');
    expect(dialogs.count).toBe(0);
  }, 60_000);
});
