// Live scoring end to end, real processes: the manager holds a fleet model made
// by scripts/fleet-model and hands it to the agent; a brute-force burst appended
// to the tailed auth log and a ransomware-like burst of random-content files in
// the watched folder become alerts with plain-language, pseudonymised reasons in
// the REST API within seconds; a benign user's window closes below threshold.
import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertPage, EventPage, ScorePage, type AlertView } from '@wardwatch/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFleetModel } from '../../scripts/fleet-model/build-fleet-model';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { ADMIN_PASSWORD, eventually, signIn, startFleet, type Fleet } from '../support/fleet';

/** A syslog line as sshd writes it, stamped now (UTC, as the e2e machine runs). */
function sshd(message: string, at = new Date()): string {
  const stamp = `${at.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${String(at.getUTCDate()).padStart(2, ' ')} ${at.toISOString().slice(11, 19)}`;
  return `${stamp} ward3-ws12 sshd[${4000 + Math.floor(Math.random() * 1000)}]: ${message}\n`;
}

describe('live scoring: agent → scores with reasons → manager alerts', () => {
  let fleet: Fleet;
  let get: (path: string) => Promise<Response>;
  let benignStartedAt = 0;

  beforeAll(async () => {
    fleet = await startFleet({
      // One-minute windows so that a benign window closes (and is scored) during the test.
      scoring: { windowMinutes: 1 },
      prepareManager: async (dataDir) => {
        await buildFleetModel({ out: join(dataDir, 'fleet-model'), days: 14, users: 30, epochs: 10 });
      },
    });
    get = await signIn(fleet.manager.httpUrl);
    await eventually(
      () => fleet.agent.output.find((l) => l.includes('"fleet model installed"') && l.includes('"inUse":true')),
      20_000,
      'the fleet model on the agent',
    );
    // Benign: one ordinary logon and a few ordinary notes, early, so the window has closed by the last test.
    benignStartedAt = Date.now();
    appendFileSync(fleet.authLog, sshd('Accepted password for nurse.ward from 10.20.30.40 port 50022 ssh2'));
    for (let i = 0; i < 3; i++)
      writeFileSync(join(fleet.phiFolder, `ward-round-${i}.txt`), 'Patient comfortable, obs stable. '.repeat(40));
  }, 120_000);
  afterAll(async () => fleet?.stop());

  const alerts = async () => AlertPage.parse(await (await get('/api/v1/alerts')).json()).items;
  const findAlert = (match: (a: AlertView) => boolean, what: string) =>
    eventually(async () => (await alerts()).find(match), 20_000, what);

  it('raises an alert with the brute-force reason within seconds of the burst, naming nobody in clear', async () => {
    const started = Date.now();
    appendFileSync(
      fleet.authLog,
      Array.from({ length: 12 }, () => sshd('Failed password for dr.house from 198.51.100.23 port 40022 ssh2')).join(
        '',
      ),
    );
    const alert = await findAlert((a) => a.ruleIds?.includes('brute-force') ?? false, 'a brute-force alert');
    const latencyMs = Date.now() - started;
    console.log(`brute-force alert visible in REST after ${latencyMs} ms`);
    expect(latencyMs).toBeLessThan(15_000);
    expect(alert.score).toBeGreaterThanOrEqual(alert.threshold!);
    expect(alert.severity).toMatch(/high|critical/);
    expect(alert.user).toMatch(/^u_[0-9a-f]+$/);
    expect(alert.modelSource).toBe('fleet');
    expect(alert.reasons.join('\n')).toMatch(/failed logons for this account within 10m/);
    expect(alert.reasonDetails?.[0]).toMatchObject({ source: 'rule', ruleId: 'brute-force' });
    const text = JSON.stringify(alert);
    for (const secret of ['dr.house', '198.51.100.23', 'ward3-ws12']) expect(text).not.toContain(secret);
  });

  it('shows the alert in the dashboard with its score, user pseudonym and plain-language reason as text', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      const dialogs = countDialogs(page);
      await page.goto(fleet.manager.httpUrl);
      await submitSignIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByTestId('nav-alerts').click();
      const reason = page
        .getByTestId('alert-reason')
        .filter({ hasText: 'failed logons for this account within 10m' })
        .first();
      await reason.waitFor({ timeout: 15_000 });
      const row = page.getByTestId('alert-row').filter({ has: reason });
      expect(await row.getByTestId('alert-user').textContent()).toMatch(/^u_[0-9a-f]+$/);
      expect(await row.getByTestId('alert-score').textContent()).toMatch(/^\d+ \/ 60$/);
      expect(await page.content()).not.toContain('dr.house');
      expect(dialogs.count).toBe(0);
    } finally {
      await browser?.close();
    }
  }, 60_000);

  it('raises a ransomware alert for a burst of encrypted copies, with no path in clear', async () => {
    const started = Date.now();
    // A locker's pattern: an encrypted copy beside each chart (the originals' deletes are not needed).
    for (let i = 0; i < 30; i++) writeFileSync(join(fleet.phiFolder, `chart-${i}.docx.locked`), randomBytes(8_192));
    const alert = await findAlert((a) => a.ruleIds?.includes('ransomware-burst') ?? false, 'a ransomware alert');
    console.log(`ransomware alert visible in REST after ${Date.now() - started} ms`);
    expect(alert.severity).toBe('critical');
    expect(alert.score).toBeGreaterThanOrEqual(92);
    expect(alert.reasons.join('\n')).toMatch(
      /files replaced with encrypted-looking content within 30s in phi folders on this workstation/,
    );
    expect(JSON.stringify(alert)).not.toContain(fleet.phiFolder);
    expect(JSON.stringify(alert)).not.toContain('chart-');
  });

  it("scores the benign user's closed window below the threshold and raises nothing for them", async () => {
    const logon = await eventually(
      // The port stays in clear: it tells this logon from any session the host's utmp reports.
      async () =>
        EventPage.parse(await (await get('/api/v1/events?category=login&action=logon')).json()).items.find(
          (e) => e.detail.sourcePort === 50022,
        ),
      15_000,
      'the benign logon event',
    );
    const user = logon.user;
    expect(user).toMatch(/^u_/);
    // The one-minute window closes at the next minute; the agent's timer scores it within seconds.
    const waitMs = 60_000 - (benignStartedAt % 60_000) + 20_000;
    const score = await eventually(
      async () =>
        ScorePage.parse(await (await get(`/api/v1/scores?user=${encodeURIComponent(user)}`)).json()).items.find(
          (s) => !s.partial,
        ),
      waitMs,
      "the benign window's score",
    );
    console.log(`benign window scored ${score.score} (threshold ${score.threshold}, model ${score.modelSource})`);
    expect(score.score).toBeLessThan(score.threshold);
    expect(score.reasons).toEqual([]);
    expect((await alerts()).some((a) => a.user === user)).toBe(false);
  }, 120_000);
});
