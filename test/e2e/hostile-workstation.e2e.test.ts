// A compromised workstation sends markup in every free-text string it controls,
// over a real mutual-TLS session with a real agent's credentials. The manager must
// store it, and the dashboard in a real browser must show it as literal text:
// no element made from it, no script run. (Pseudonym fields — user, host, raw
// line — must hold tokens or nothing: markup there is refused, pseudonym-fields/.)
import { Severity, type Event } from '@wardwatch/proto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { ADMIN_PASSWORD, startFleet, type Fleet } from '../support/fleet';
import { openRogueSession, type RogueSession } from '../support/rogue-agent';

const HOSTILE = `<img src=x onerror="window.__pwned=1">`;
const HOSTILE_HOST = `ward-7<script>window.__pwned=1</script>`;

function hostileEvent(id: string): Event {
  return {
    id,
    timeMs: Date.now(),
    sequence: 0,
    severity: Severity.SEVERITY_HIGH,
    user: 'u_0123456789abcdef',
    detail: {
      $case: 'login',
      value: {
        action: 'failed_logon',
        method: HOSTILE,
        service: 'sshd',
        tty: `pts/0${HOSTILE}`,
        sourceHost: '',
        sourceIp: '',
        sourcePort: 22,
        targetUser: '',
        raw: '',
      },
    },
  };
}

describe('a hostile workstation', () => {
  let fleet: Fleet;
  let browser: Browser;
  let page: Page;
  let rogue: RogueSession;
  const eventId = '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';

  beforeAll(async () => {
    [fleet, browser] = await Promise.all([startFleet(), launchChromium()]);
    // The real agent steps aside; its stolen identity speaks instead.
    await fleet.agent.stop();
    rogue = openRogueSession(`127.0.0.1:${fleet.manager.grpcPort}`, fleet.agentDataDir);
    rogue.send({
      body: {
        $case: 'hello',
        value: {
          commandKeyIds: [],
          agentVersion: HOSTILE.slice(0, 60),
          host: { hostname: HOSTILE_HOST, os: 'linux', osVersion: HOSTILE, agentVersion: '' },
        },
      },
    });
    rogue.send({ body: { $case: 'events', value: { sequence: 1, events: [hostileEvent(eventId)], dropped: {} } } });
    await rogue.acked(1, 15_000);
    page = await browser.newPage();
  }, 120_000);
  afterAll(async () => {
    rogue?.close();
    await browser?.close();
    await fleet?.stop();
  });

  it('is shown as text on the fleet and events pages, and nothing runs', async () => {
    const dialogs = countDialogs(page);
    await page.goto(fleet.manager.httpUrl);
    await submitSignIn(page, 'admin', ADMIN_PASSWORD);
    // The overview is the landing page; the fleet is one click away.
    await page.getByTestId('nav-fleet').click();

    // Its Hello claimed another host name: never applied, shown to admins as a claim, as text.
    const claim = page.getByTestId('agent-identity-claim').first();
    await expect.poll(() => claim.textContent(), { timeout: 15_000 }).toContain(HOSTILE_HOST);
    expect(await page.getByTestId('agent-hostname').first().textContent()).not.toContain(HOSTILE_HOST);

    await page.getByTestId('nav-events').click();
    const row = page.locator(`[data-event-id="${eventId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('button').click();
    const details = (await page.locator('.detail-row').first().textContent()) ?? '';
    expect(details).toContain(`pts/0${HOSTILE}`);
    expect(details.split(HOSTILE).length - 1).toBeGreaterThanOrEqual(2); // method and tty

    expect(await page.locator('img, script:not([src])').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs.count).toBe(0);
  });
});
