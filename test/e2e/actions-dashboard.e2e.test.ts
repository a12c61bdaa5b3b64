// The Actions page in Chromium against a real manager and a real (test) agent over gRPC:
// a command goes to the agent, its result comes back, the page shows state, decider and
// result — the agent's hostile strings as text — and an admin undoes the done command
// after confirming; the undo reaches the agent signed, as any command.
import { CommandOutcome, CommandPayload, type ManagerMessage } from '@wardwatch/proto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_ISSUER, type CommandIssuer } from '../../manager/src/commands/command-issuer';
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

const HOSTILE = '<img src=x onerror=alert(1)>';

const payloads = (got: ManagerMessage[]) =>
  got.flatMap((m) => (m.body?.$case === 'signedCommand' ? [CommandPayload.decode(m.body.value.payload)] : []));

describe('Actions page in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  let agent: TestAgent;
  let session: TestAgentSession;
  let dialogs: { readonly count: number };

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    agent = await enrollTestAgent(manager, { hostname: HOSTILE, os: 'linux', osVersion: '6', agentVersion: '0.1.0' });
    session = agent.open();
    session.send(
      hello(
        undefined,
        agent.commandKeys.map((k) => k.keyId),
      ),
    );
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    session?.close();
    agent?.close();
    await browser?.close();
    await manager?.stop();
  });

  it('shows a done command with its decider and the agent result as text, and undoes it after confirmation', async () => {
    const issuer = manager.app.get<CommandIssuer>(COMMAND_ISSUER);
    const issued = await issuer.issue({
      agentId: agent.agentId,
      action: { $case: 'lockScreen', value: { user: 'u_0123456789abcdef', sessionId: '' } },
      reason: 'Unusual activity on this workstation.',
      warningSeconds: 0,
      automatic: true,
      dryRun: false,
      expiresInSeconds: 600,
      decision: { source: 'playbook', playbookId: 'mass-copy', playbookVersion: 2 },
    });
    await session.waitFor((got) => payloads(got).some((p) => p.commandId === issued.commandId));
    session.send({
      body: {
        $case: 'commandResult',
        value: {
          commandId: issued.commandId,
          ok: true,
          message: `locked ${HOSTILE}`,
          outcome: CommandOutcome.COMMAND_OUTCOME_DONE,
          finishedAtMs: Date.now(),
          detailsJson: '{}',
        },
      },
    });
    await session.waitFor((got) => got.some((m) => m.body?.$case === 'commandResultAck'));

    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-actions').click();
    const row = page.locator(`[data-testid="command-row"][data-command-id="${issued.commandId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('command-state').textContent()).toBe('done');
    expect(await row.getByTestId('command-agent').textContent()).toBe(HOSTILE);
    expect(await row.getByTestId('command-result').textContent()).toBe(`locked ${HOSTILE}`);
    expect(await row.getByTestId('command-decided').textContent()).toBe('playbook mass-copy v2 (automatic)');
    expect(await row.getByTestId('command-action').textContent()).toBe('Lock screen · user u_0123456789abcdef');

    await row.getByTestId('command-undo').click();
    await row.getByTestId('command-undo-confirm').click();
    await page.getByTestId('actions-notice').waitFor();
    expect(await page.getByTestId('actions-notice').textContent()).toMatch(/Undo sent to the agent/);
    await session.waitFor((got) => payloads(got).some((p) => p.action?.$case === 'undo'));
    const undo = payloads(session.got).find((p) => p.action?.$case === 'undo');
    expect(undo?.action).toEqual({ $case: 'undo', value: { commandId: issued.commandId } });
    await expect
      .poll(() => page.getByTestId('command-row').first().getByTestId('command-action').textContent(), {
        timeout: 10_000,
      })
      .toMatch(/^Undo · of /);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);
  }, 30_000);

  it('issues a dry-run command from the form', async () => {
    await page.getByTestId('issue-agent').selectOption(agent.agentId);
    await page.getByTestId('issue-kind').selectOption('collectDiagnostics');
    await page.getByTestId('issue-reason').fill('Checking the workstation.');
    await page.getByTestId('issue-submit').click();
    await expect.poll(() => page.getByTestId('actions-notice').textContent()).toMatch(/Command sent to the agent/);
    await session.waitFor((got) => payloads(got).some((p) => p.action?.$case === 'collectDiagnostics'));
    const sent = payloads(session.got).find((p) => p.action?.$case === 'collectDiagnostics');
    expect(sent).toMatchObject({ dryRun: true, automatic: false, reason: 'Checking the workstation.' });
    expect(dialogs.count).toBe(0);
  }, 30_000);

  it('issues a file restore from the form, refusing an extension without its dot first', async () => {
    await page.getByTestId('issue-agent').selectOption(agent.agentId);
    await page.getByTestId('issue-kind').selectOption('restoreFiles');
    await page.getByTestId('issue-restore-since').fill('2026-12-01T08:00');
    await page.getByTestId('issue-restore-extensions').fill('.locked, crypt');
    await page.getByTestId('issue-reason').fill('Undoing the encryption.');
    await page.getByTestId('issue-submit').click();
    const form = page.getByTestId('issue-form');
    await expect.poll(() => form.locator('.error').textContent()).toBe('Not an extension with its dot: crypt');
    expect(payloads(session.got).some((p) => p.action?.$case === 'restoreFiles')).toBe(false);

    await page.getByTestId('issue-restore-extensions').fill('.locked .crypt');
    await page.getByTestId('issue-submit').click();
    await session.waitFor((got) => payloads(got).some((p) => p.action?.$case === 'restoreFiles'));
    const sent = payloads(session.got).find((p) => p.action?.$case === 'restoreFiles');
    expect(sent).toMatchObject({
      dryRun: true,
      reason: 'Undoing the encryption.',
      action: {
        $case: 'restoreFiles',
        value: {
          folderClass: 'phi',
          sinceMs: Date.parse('2026-12-01T08:00Z'),
          removeCreatedExtensions: ['.locked', '.crypt'],
        },
      },
    });
    expect(await form.locator('.error').count()).toBe(0);
    expect(dialogs.count).toBe(0);
  }, 30_000);
});
