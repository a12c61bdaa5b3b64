// A real agent whose local API port is held by another process and whose budget
// is too small for what it sees: the dashboard shows the local API as a failed
// component, with the reason, and a non-zero drop count by reason, both as text.
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentPage, AlertPage } from '@wardwatch/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_LOG, isReadable } from '../../agent/src/collectors/audit/audit-feed';
import { AUDITCTL, auditdRunning } from '../../agent/src/collectors/audit/auditd.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { ADMIN_PASSWORD, eventually, signIn, startFleet, type Fleet } from '../support/fleet';

describe('agent health on the dashboard', { timeout: 60_000 }, () => {
  let holder: Server;
  let held: number;
  let fleet: Fleet;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    held = (holder.address() as { port: number }).port;
    [fleet, browser] = await Promise.all([
      startFleet({
        localApiPort: held,
        budget: { low: 0, normal: 0, high: 1, burstSeconds: 1 },
        managerEnv: { WARDWATCH_BLIND_AGENT_CHECK_SECONDS: '1' },
      }),
      launchChromium(),
    ]);
    page = await browser.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await fleet?.stop();
    await new Promise((resolve) => holder.close(resolve));
  });

  it('reports the held local API and the budget drops on the agents API', async () => {
    // More patient-record writes than one a second: the budget refuses most of them.
    for (let i = 0; i < 30; i++) writeFileSync(join(fleet.phiFolder, `note-${i}.txt`), `note ${i}`);
    const get = await signIn(fleet.manager.httpUrl);
    const health = await eventually(
      async () => {
        const page = AgentPage.parse(await (await get('/api/v1/agents')).json());
        const h = page.items[0]?.health;
        return h && (h.droppedByReason['rate_limit.high.file'] ?? 0) > 0 ? h : undefined;
      },
      30_000,
      'a heartbeat with budget drops',
    );
    expect(health.eventsDropped).toBeGreaterThan(0);
    expect(health.components).toContainEqual(
      expect.objectContaining({
        name: 'local-api',
        state: 'failed',
        message: `EADDRINUSE: port ${held} on 127.0.0.1 is held by another process`,
      }),
    );
    expect(health.components).toContainEqual(expect.objectContaining({ name: 'collector.files', state: 'running' }));
  });

  // Where the agent follows the audit log and may ask the kernel about it: whether auditd still
  // writes it, as this machine is (a killed auditd is a failed component, not a quiet workstation).
  const followsAudit = isReadable(DEFAULT_AUDIT_LOG) && process.getuid?.() === 0 && existsSync(AUDITCTL);
  it.runIf(followsAudit)("says whether auditd writes the audit log, as this machine's is; alerts if not", async () => {
    const get = await signIn(fleet.manager.httpUrl);
    const expected = auditdRunning() ? 'running' : 'failed';
    const audit = await eventually(
      async () => {
        const page = AgentPage.parse(await (await get('/api/v1/agents')).json());
        return page.items[0]?.health?.components.find((c) => c.name === 'collector.audit');
      },
      30_000,
      'the audit component in a heartbeat',
    );
    expect(audit.state).toBe(expected);
    if (expected === 'failed') expect(audit.message).toMatch(/^auditd is not running: executions/);
    // The manager's blind-agent check (every second here) alerts on the failed audit, and only then.
    const blind = async () =>
      AlertPage.parse(await (await get('/api/v1/alerts')).json()).items.filter((a) => a.kind === 'agent_blind');
    if (expected === 'failed') {
      const [alert] = await eventually(
        async () => ((await blind()).length > 0 ? blind() : undefined),
        15_000,
        'a blind alert',
      );
      expect(alert.title).toMatch(/^Audit of patient data failed: /);
      expect(alert.reasons).toContainEqual(expect.stringMatching(/^collector\.audit failed: auditd is not running/));
    } else {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await blind()).toEqual([]);
    }
  });

  it('shows the failed component and the drop count at a glance, as text', async () => {
    const dialogs = countDialogs(page);
    await page.goto(fleet.manager.httpUrl);
    await submitSignIn(page, 'admin', ADMIN_PASSWORD);
    // The overview is the landing page; the fleet is one click away.
    await page.getByTestId('nav-fleet').click();
    const row = page.getByTestId('agent-row').first();
    await row.waitFor({ timeout: 15_000 });
    // Only the local API is held; other parts may fail with the machine (collector.audit where auditd is dead).
    const failed = row.getByTestId('agent-component-failed').filter({ hasText: 'local-api' });
    await expect.poll(() => failed.count(), { timeout: 15_000 }).toBe(1);
    expect(await failed.innerText()).toContain('local-api failed');
    expect(await failed.innerText()).toContain(`EADDRINUSE: port ${held} on 127.0.0.1 is held by another process`);
    expect(await failed.locator('.status-revoked').count()).toBe(1);
    await expect
      .poll(() => row.getByTestId('agent-drops').innerText(), { timeout: 15_000 })
      .toMatch(/^[\d,]+ dropped$/);
    expect(await row.getByTestId('agent-drops').getAttribute('class')).toContain('drops-nonzero');
    expect(await row.getByTestId('agent-drop-reasons').innerText()).toContain('rate_limit.high.file');
    expect(await row.getByTestId('agent-queue').innerText()).toMatch(/^[\d,]+ \(.+B\)$/);
    expect(dialogs.count).toBe(0);
    await page.screenshot({ path: join(tmpdir(), 'ww-agent-health.png'), fullPage: true });
  });
});
