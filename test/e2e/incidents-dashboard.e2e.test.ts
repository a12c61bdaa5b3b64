// Incidents in Chromium against a real manager: failed logons from one source on two
// workstations go through the real ingest path; after the flush an analyst sees one
// incident with its observed counts, opens it and reads its evidence events. A
// workstation string holding markup stays text.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventIngestService } from '../../manager/src/events/event-ingest.service';
import { loginEvent, token } from '../../manager/src/incidents/incident-events.fixture';
import { IncidentFlushJob } from '../../manager/src/incidents/incident-flush.job';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi } from '../support/dashboard-users';

const HOSTILE_HOST = '<img src=x onerror=alert(1)>-ws13';

describe('incidents in the dashboard in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  const analystPassword = 'ana.lyst-passphrase-2026';
  const source = token('ip', 0xe1);

  const api = dashboardApi(() => manager);

  beforeAll(async () => {
    [manager, browser] = await Promise.all([
      startTestManager({ env: { WARDWATCH_INCIDENT_FLUSH_SECONDS: '3600' } }),
      launchChromium(),
    ]);
    const admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    await api.addUser(admin, 'ana.lyst', 'analyst', analystPassword);

    const ingest = manager.app.get(EventIngestService);
    const now = Date.now();
    for (const [n, hostname] of ['ward3-ws12', HOSTILE_HOST].entries()) {
      const events = Array.from({ length: 11 }, (_, i) =>
        loginEvent({
          id: `e${n}-${i}`,
          timeMs: now - 60_000 + i * 1_000,
          user: token('u', 0x200 + i),
          action: 'failed_logon',
          sourceIp: source,
        }),
      );
      await ingest.ingest(`agent-${n}`, hostname, { sequence: 1, dropped: {}, events });
    }
    await manager.app.get(IncidentFlushJob).tick();
    page = await browser.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it('lists one incident with its counts and shows its evidence events', async () => {
    const dialogs = countDialogs(page);
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'ana.lyst', analystPassword);
    await page.getByTestId('nav-incidents').click();
    const row = page.getByTestId('incident-row');
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.count()).toBe(1);
    expect(await row.getByTestId('incident-reason').textContent()).toMatch(
      new RegExp(`^22 failed logons against 11 accounts on 2 workstations from ${source} between `),
    );

    await row.getByTestId('incident-open').click();
    await page.getByTestId('incident-evidence-event').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('incident-evidence-event').count()).toBe(22);
    expect(await page.getByTestId('incident-workstations').textContent()).toBe(`${HOSTILE_HOST}, ward3-ws12`);
    expect(await page.getByTestId('incident-accounts').textContent()).toContain(token('u', 0x200));
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);

    await page.getByTestId('incident-back').click();
    await row.first().waitFor();
  });
});
