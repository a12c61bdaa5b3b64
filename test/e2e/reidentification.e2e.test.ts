// Agent and manager make the same pseudonym from the same value: real agent and
// manager processes, a real file and a real sshd line; a privacy officer created
// over REST then ties the tokens the agent sent back to the clear values, which
// only works if both sides ran the one token function under the one site key.
import { appendFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { EventPage, ReidentifyMatchResult, type EventView } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardApi } from '../support/dashboard-users';
import { ADMIN_PASSWORD, eventually, startFleet, type Fleet } from '../support/fleet';

describe('re-identification of what a real agent sent', () => {
  let fleet: Fleet;
  let officer = '';

  const api = dashboardApi(() => fleet.manager);
  const findEvent = (query: string, match: (event: EventView) => boolean) =>
    eventually(
      async () => {
        const response = await api.call('GET', `/api/v1/events?${query}`, undefined, officer);
        return response.ok ? EventPage.parse(await response.json()).items.find(match) : undefined;
      },
      15_000,
      `an event for ${query}`,
    );
  const match = async (token: string, candidates: string[]) => {
    const response = await api.call(
      'POST',
      '/api/v1/reidentification/match',
      { token, candidates, reason: 'end-to-end check of re-identification', caseReference: 'E2E-1' },
      officer,
    );
    expect(response.status).toBe(200);
    return ReidentifyMatchResult.parse(await response.json()).match;
  };

  beforeAll(async () => {
    // Local-key mode on purpose: this is the HMAC path (the OPRF one: oprf-pseudonyms.e2e.test.ts).
    fleet = await startFleet({ managerEnv: { WARDWATCH_PSEUDONYM_MODE: 'local-key' } });
    const admin = await api.signIn('admin', ADMIN_PASSWORD);
    officer = (await api.addUser(admin, 'privacy.officer', 'privacy_officer', 'officer-passphrase-2026')).cookie;
  }, 120_000);
  afterAll(async () => fleet?.stop());

  it('ties the path and owner tokens of a file event to the real path and account', async () => {
    const path = join(fleet.phiFolder, 'referral-letter.pdf');
    writeFileSync(path, 'x'.repeat(512));
    const event = await findEvent('category=file', (e) => e.action === 'create');
    expect(event.detail.path).toMatch(/^p_phi_d1_[0-9a-f]{16}\.pdf$/);
    expect(await match(String(event.detail.path), [join(fleet.phiFolder, 'other.pdf'), path])).toBe(path);
    // The owner is whoever runs the tests: an OS account such as root stays in clear by design.
    if (['root', 'system'].includes(userInfo().username)) expect(event.user).toBe(userInfo().username);
    else expect(await match(event.user, ['nobody-here', userInfo().username])).toBe(userInfo().username);
  });

  it('ties the user and address tokens of a login to the names in the auth log', async () => {
    const now = new Date();
    const stamp = `${now.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${String(now.getUTCDate()).padStart(2, ' ')} ${now.toISOString().slice(11, 19)}`;
    appendFileSync(
      fleet.authLog,
      `${stamp} ward3-ws12 sshd[4242]: Failed password for nurse.jones from 203.0.113.7 port 52114 ssh2\n`,
    );
    const event = await findEvent('category=login', (e) => e.action === 'failed_logon');
    expect(await match(event.user, ['dr.house', 'Nurse.Jones'])).toBe('Nurse.Jones');
    expect(await match(String(event.detail.sourceIp), ['203.0.113.8', '::ffff:203.0.113.7'])).toBe(
      '::ffff:203.0.113.7',
    );
  });
});
