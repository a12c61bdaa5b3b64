// The staged policy rollout in Chromium against a real manager and an agent on real gRPC
// over TLS: an admin marks the workstation a canary on the Fleet page, saves a new
// version; the canary reports it failed (with a hostile error text) and the rollout
// halts; the Policies page shows the state, the canary and why, as text; the admin
// resumes it and then aborts it, each only after a confirmation. A third version: the
// canary deadline is shown, and the admin promotes it to the fleet now with a reason, which
// the Audit page then lists.
import { PolicyPayload, type ManagerMessage } from '@wardwatch/proto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyRolloutService } from '../../manager/src/policies/rollout/policy-rollout.service';
import {
  enrollTestAgent,
  hello,
  type TestAgent,
  type TestAgentSession,
} from '../../manager/src/testing/test-agent.fixture';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';

const HOSTILE = 'idle_lock: <img src=x onerror=alert(1)>';

const versionsGot = (got: ManagerMessage[]) =>
  got.flatMap((m) => (m.body?.$case === 'signedPolicy' ? [PolicyPayload.decode(m.body.value.payload)] : []));

describe('staged policy rollout in Chromium', () => {
  let manager: TestManager;
  let agent: TestAgent;
  let session: TestAgentSession;
  let browser: Browser;
  let page: Page;
  let dialogs: { readonly count: number };

  beforeAll(async () => {
    [manager, browser] = await Promise.all([
      // No canary drawn by chance: only the one the admin marks.
      startTestManager({ env: { WARDWATCH_ROLLOUT_CANARY_FRACTION: '0' } }),
      launchChromium(),
    ]);
    agent = await enrollTestAgent(manager);
    session = agent.open();
    session.send(
      hello(
        undefined,
        agent.commandKeys.map((key) => key.keyId),
      ),
    );
    await session.waitFor((got) => versionsGot(got).length >= 1);
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    session?.close();
    agent?.close();
    await browser?.close();
    await manager?.stop();
  });

  it('marks a canary on the Fleet page; a new version goes to it first', async () => {
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-fleet').click();
    const row = page.locator(`[data-testid="agent-row"][data-agent-id="${agent.agentId}"]`);
    const toggle = row.getByTestId('agent-policy-canary-toggle');
    await expect.poll(() => toggle.isChecked(), { timeout: 15_000 }).toBe(false);
    // Controlled by what the manager holds: it shows checked once the change is saved.
    await toggle.click();
    await expect.poll(() => row.getByTestId('agent-policy-canary').textContent(), { timeout: 10_000 }).toBe('canary');
    await expect.poll(() => toggle.isChecked(), { timeout: 10_000 }).toBe(true);

    await page.getByTestId('nav-policies').click();
    const editor = page.getByTestId('policy-json');
    await editor.waitFor();
    const document = JSON.parse(await editor.inputValue()) as { tiers: { settings: Record<string, unknown> }[] };
    document.tiers[0].settings.idleLockSeconds = 600;
    await editor.fill(JSON.stringify(document, null, 2));
    await page.getByTestId('policy-valid').waitFor();
    await page.getByTestId('policy-save').click();
    await session.waitFor((got) => versionsGot(got).some((p) => p.policyVersion === 2));
    await expect
      .poll(() => page.getByTestId('rollout-state').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('canary');
    expect(await page.getByTestId('rollout-canary-counts').textContent()).toBe(
      'Canaries: 0 well, 1 waiting, 0 failed.',
    );
  }, 60_000);

  it('shows why a canary halted it, as text; resumes and aborts only after a confirmation', async () => {
    const delivered = versionsGot(session.got).find((p) => p.policyVersion === 2)!;
    session.send({
      body: {
        $case: 'policyCompliance',
        value: {
          revision: delivered.revision,
          policyVersion: 2,
          tier: delivered.tier,
          applied: false,
          errors: [HOSTILE],
          diskEncryption: { state: 'encrypted', detail: 'LUKS' },
          settings: [],
          reportedAtMs: Date.now(),
        },
      },
    });
    await expect
      .poll(async () => (await manager.app.get(PolicyRolloutService).view())?.state, { timeout: 15_000 })
      .toBe('halted');
    // The page polls; a click on the menu loads it at once.
    await page.getByTestId('nav-fleet').click();
    await page.getByTestId('nav-policies').click();
    const state = page.getByTestId('rollout-state');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 15_000 }).toBe('halted');
    expect(await page.getByTestId('rollout-halt-reason').textContent()).toContain(HOSTILE);
    const canary = page.getByTestId('rollout-canary');
    expect(await canary.getAttribute('data-status')).toBe('failed');
    expect(await canary.textContent()).toContain(HOSTILE);
    expect(await page.locator('[data-testid="rollout-panel"] img').count()).toBe(0);

    // The first click only asks; the rollout changes on the confirmation.
    await page.getByTestId('rollout-resume').click();
    expect(await state.getAttribute('data-state')).toBe('halted');
    await page.getByTestId('rollout-resume-confirm').click();
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 10_000 }).toBe('canary');
    expect(await page.getByTestId('rollout-halt-reason').count()).toBe(0);

    await page.getByTestId('rollout-abort').click();
    await page.getByTestId('rollout-cancel').click();
    expect(await state.getAttribute('data-state')).toBe('canary');
    await page.getByTestId('rollout-abort').click();
    await page.getByTestId('rollout-abort-confirm').click();
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 10_000 }).toBe('aborted');
    expect(await page.getByTestId('rollout-abort').count()).toBe(0);
    const rollout = await manager.app.get(PolicyRolloutService).view();
    expect(rollout).toMatchObject({ state: 'aborted', updatedBy: 'admin' });
    expect(dialogs.count).toBe(0);
  }, 60_000);

  it('shows the canary deadline; promotes now only with a reason and a confirmation; the audit lists it', async () => {
    const editor = page.getByTestId('policy-json');
    const document = JSON.parse(await editor.inputValue()) as { tiers: { settings: Record<string, unknown> }[] };
    document.tiers[0].settings.idleLockSeconds = 900;
    await editor.fill(JSON.stringify(document, null, 2));
    await page.getByTestId('policy-valid').waitFor();
    await page.getByTestId('policy-save').click();
    await session.waitFor((got) => versionsGot(got).some((p) => p.policyVersion === 3));
    const state = page.getByTestId('rollout-state');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 20_000 }).toBe('canary');
    const started = await manager.app.get(PolicyRolloutService).view();
    expect(started).toMatchObject({ version: 3, state: 'canary' });
    // WARDWATCH_ROLLOUT_CANARY_TIMEOUT_MINUTES (240 by default) after the start, shown with its time.
    expect(started?.canaryDeadlineAt).toBe(started!.startedAt + 240 * 60_000);
    const deadline = page.getByTestId('rollout-canary-deadline');
    expect(await deadline.textContent()).toMatch(/^Canaries must report this version by in 3 h; /);
    expect(await deadline.locator('time').getAttribute('dateTime')).toBe(
      new Date(started!.canaryDeadlineAt!).toISOString(),
    );

    // No reason, no promotion; a cancel leaves it at the canaries.
    await page.getByTestId('rollout-promote').click();
    const confirm = page.getByTestId('rollout-promote-confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId('rollout-promote-reason').fill('   ');
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId('rollout-cancel').click();
    expect(await page.getByTestId('rollout-promote-reason').count()).toBe(0);
    expect(await state.getAttribute('data-state')).toBe('canary');

    await page.getByTestId('rollout-promote').click();
    await page.getByTestId('rollout-promote-reason').fill('ward 3 outbreak: <b>lock now</b>');
    await confirm.click();
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 10_000 }).toBe('complete');
    expect(await page.getByTestId('rollout-promote').count()).toBe(0);
    expect(await page.getByTestId('rollout-canary-deadline').count()).toBe(0);
    expect(await manager.app.get(PolicyRolloutService).view()).toMatchObject({
      version: 3,
      state: 'complete',
      updatedBy: 'admin',
    });

    await page.getByTestId('nav-audit').click();
    await page.locator('#audit-action').fill('policy.rollout_promote');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => page.getByTestId('audit-row').count(), { timeout: 10_000 }).toBe(1);
    const row = page.getByTestId('audit-row');
    expect(await row.getByTestId('audit-row-actor').textContent()).toBe('admin');
    expect(await row.locator('.audit-target').textContent()).toBe('policy:3');
    const details = JSON.parse((await row.locator('.audit-details').textContent()) ?? '{}') as Record<string, unknown>;
    expect(details).toMatchObject({
      version: 3,
      from: 'canary',
      to: 'complete',
      manual: true,
      reason: 'ward 3 outbreak: <b>lock now</b>',
    });
    expect(await page.locator('.audit-details b').count()).toBe(0);
    expect(dialogs.count).toBe(0);
  }, 60_000);
});
