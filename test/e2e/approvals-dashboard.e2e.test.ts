// The approvals page in Chromium against a real manager (in-process, SQLite) with a
// recording command issuer: a playbook's two-person proposal is queued through the
// manager's APPROVAL_REQUESTER, shown with its alert's reasons (markup stays text),
// approved by one analyst ("1 of 2"), then by another, and its commands are issued
// once, as the second approver's decision. A rejection needs a comment.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../manager/src/alerts/alert.service';
import {
  APPROVAL_REQUESTER,
  type ApprovalProposal,
  type ApprovalRequester,
} from '../../manager/src/approvals/approval-request';
import { TransactionRunner } from '../../manager/src/database/transaction.runner';
import { RecordingCommandIssuer } from '../../manager/src/testing/fakes/recording-command-issuer.fake';
import {
  TEST_ADMIN_PASSWORD,
  insertOfflineAgent,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi, passphraseOf } from '../support/dashboard-users';

const HOSTILE_REASON = '<img src=x onerror=alert(1)> 412 patient files copied to removable media';

describe('approvals page in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  let dialogs: { readonly count: number };
  const issuer = new RecordingCommandIssuer();
  let alertId = '';

  const api = dashboardApi(() => manager);
  const propose = (overrides: Partial<ApprovalProposal>) =>
    manager.app.get<ApprovalRequester>(APPROVAL_REQUESTER).request({
      summary: 'Block removable media on ward3-ws12 and ward3-ws14',
      commands: ['agent-ws12', 'agent-ws14'].map((agentId) => ({
        agentId,
        action: { $case: 'blockRemovable', value: { durationSeconds: 3_600 } },
        reason: 'patient files copied to removable media',
        warningSeconds: 0,
        automatic: true,
        dryRun: false,
        expiresInSeconds: 600,
        decision: { source: 'playbook', playbookId: 'usb-exfiltration', playbookVersion: 2, score: 93 },
      })),
      alertId,
      playbookId: 'usb-exfiltration',
      playbookVersion: 2,
      expiresInSeconds: 900,
      twoPersonReason: null,
      ...overrides,
    });
  const signInAs = async (username: string) => {
    await page.goto(`${manager.httpUrl}/#/approvals`);
    await submitSignIn(page, username, passphraseOf(username));
    await page.getByTestId('nav-approvals').click();
  };
  const signOut = () => page.getByTestId('sign-out').click();
  const card = (id: string) => page.locator(`[data-testid="approval-row"][data-approval-id="${id}"]`);
  const decidedRow = (id: string) => page.locator(`[data-testid="decided-row"][data-approval-id="${id}"]`);

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager({ commandIssuer: issuer }), launchChromium()]);
    const admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    await api.addUser(admin, 'ana.lyst', 'analyst');
    await api.addUser(admin, 'bob.lyst', 'analyst');
    await insertOfflineAgent(manager, 'agent-ws12', 'ward3-ws12');
    await insertOfflineAgent(manager, 'agent-ws14', 'ward3-ws14');
    await manager.app.get(TransactionRunner).run(async (tx) => {
      const alerts = manager.app.get(AlertService);
      await alerts.raise(
        [
          {
            agentId: 'agent-ws12',
            severity: 5,
            score: 93,
            title: 'Files copied to USB',
            reasons: [HOSTILE_REASON],
            eventIds: ['ev-1', 'ev-2'],
          },
        ],
        tx,
      );
      alertId = (await alerts.page(1)).items[0].id;
    });
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('shows a two-person proposal, takes two different approvers and then issues its commands', async () => {
    const { approvalId } = await propose({ twoPersonReason: 'bulk action on 2 workstations' });
    await signInAs('ana.lyst');
    const pending = card(approvalId);
    await pending.waitFor({ timeout: 15_000 });
    expect(await pending.locator('.approval-summary').textContent()).toBe(
      'Block removable media on ward3-ws12 and ward3-ws14',
    );
    expect(await pending.getByTestId('approval-reason').allTextContents()).toEqual([HOSTILE_REASON]);
    expect(await pending.getByTestId('approval-target').allTextContents()).toEqual([
      'ward3-ws12: block removable media',
      'ward3-ws14: block removable media',
    ]);
    expect(await pending.getByTestId('approval-two-person').textContent()).toBe(
      'two-person: bulk action on 2 workstations',
    );
    expect(await pending.getByTestId('approval-progress').textContent()).toBe('0 of 2 approvals');
    expect(await pending.getByTestId('approval-expiry').textContent()).toMatch(/^expires in 1[45] min \d\d s$/);
    expect(await page.locator('img').count()).toBe(0);

    await pending.getByTestId('approval-comment').fill('checked with the ward manager');
    await pending.getByTestId('approval-approve').click();
    await expect.poll(() => pending.getByTestId('approval-progress').textContent()).toBe('1 of 2 approvals');
    expect(await pending.getByTestId('approval-approve').isDisabled()).toBe(true);
    expect(await pending.getByTestId('approval-approvers').textContent()).toBe(
      'approved by ana.lyst: checked with the ward manager',
    );
    expect(issuer.issued).toHaveLength(0);
    await signOut();

    await signInAs('bob.lyst');
    await card(approvalId).getByTestId('approval-approve').click();
    await decidedRow(approvalId).waitFor({ timeout: 15_000 });
    expect(await card(approvalId).count()).toBe(0);
    expect(await decidedRow(approvalId).getByTestId('approval-state').textContent()).toBe('approved');
    expect(await decidedRow(approvalId).getByTestId('approval-outcome').textContent()).toBe(
      'approved by ana.lyst and bob.lyst; 2 commands issued',
    );
    expect(issuer.issued.map((c) => [c.agentId, c.decision.source, c.decision.actorId, c.decision.alertId])).toEqual([
      ['agent-ws12', 'approval', 'bob.lyst', alertId],
      ['agent-ws14', 'approval', 'bob.lyst', alertId],
    ]);
    expect(dialogs.count).toBe(0);
  }, 60_000);

  it('asks for a comment before rejecting, then lists the rejection', async () => {
    const { approvalId } = await propose({});
    await page.reload();
    const pending = card(approvalId);
    await pending.waitFor({ timeout: 15_000 });
    expect(await pending.getByTestId('approval-progress').textContent()).toBe('0 of 1 approval');
    await pending.getByTestId('approval-reject').click();
    await expect.poll(() => pending.locator('.error').textContent()).toMatch(/needs a comment/);
    await pending.getByTestId('approval-comment').fill('the ward manager copying rotas');
    await pending.getByTestId('approval-reject').click();
    await decidedRow(approvalId).waitFor({ timeout: 15_000 });
    expect(await decidedRow(approvalId).getByTestId('approval-outcome').textContent()).toBe(
      'rejected by bob.lyst: the ward manager copying rotas',
    );
    expect(issuer.issued).toHaveLength(2);
  }, 30_000);
});
