// No pseudonym key on the workstation (issue #11 item 5), with the real built manager and
// agent processes over mutual TLS: a new site that sets no mode records OPRF (the default,
// pseudonym-mode/; docs/privacy.md) at its first start, and its manager enrolls the agent without a key;
// the agent's sshd lines and file events reach the manager with tokens equal to what the
// manager's own re-identification (a privacy officer's lookup and match) computes with its
// OPRF key — a path's token from its folder's PRF output, an address's from its network's, as
// the agent computed them — and no clear name, address or file name is stored; with the manager
// stopped, a line naming a new user waits on the workstation (pending-events.bin) and arrives, tokenised, once the manager is back;
// the evaluations are in the audit trail, one row per agent per window (the stop wrote it).
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuditPage,
  CreatedUser,
  EventPage,
  PseudonymLookupResult,
  ReidentifyMatchResult,
  type EventView,
} from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManager, type RunningManager } from '../../scripts/lib/wardwatch';
import { ADMIN_PASSWORD, eventually, startFleet, type Fleet } from '../support/fleet';

const OFFICER_PASSWORD = 'officer-passphrase-2026';

function sshdFailure(user: string, ip: string): string {
  const now = new Date();
  const stamp = `${now.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${String(now.getUTCDate()).padStart(2, ' ')} ${now.toISOString().slice(11, 19)}`;
  return `${stamp} ward3-ws12 sshd[4242]: Failed password for ${user} from ${ip} port 52114 ssh2\n`;
}

describe('OPRF pseudonyms with the real manager and agent', () => {
  let fleet: Fleet;
  let restarted: RunningManager | undefined;
  let httpUrl = '';
  let officer = '';

  const post = (cookie: string, path: string, body: unknown) =>
    fetch(`${httpUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
  const signIn = async (username: string, password: string) => {
    const response = await post('', '/api/v1/auth/login', { username, password });
    expect(response.status).toBe(200);
    return (response.headers.get('set-cookie') ?? '').split(';')[0];
  };
  const events = async (category: string): Promise<EventView[]> => {
    const response = await fetch(`${httpUrl}/api/v1/events?category=${category}`, { headers: { cookie: officer } });
    return response.ok ? EventPage.parse(await response.json()).items : [];
  };
  const logins = () => events('login');
  /** A re-identification request (audited) with this test's reason and case; its 200 answer. */
  const reidentify = async (route: 'lookup' | 'match', body: object): Promise<unknown> => {
    const response = await post(officer, `/api/v1/reidentification/${route}`, {
      ...body,
      reason: 'end-to-end check of OPRF pseudonyms',
      caseReference: 'E2E-OPRF',
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  /** The manager's own answer: the token its key gives for a value. */
  const lookup = async (kind: 'user' | 'ip' | 'path', value: string) =>
    PseudonymLookupResult.parse(await reidentify('lookup', { kind, value })).token;
  /** The manager's answer to "which of these is behind this token?". */
  const match = async (token: string, candidates: string[]) =>
    ReidentifyMatchResult.parse(await reidentify('match', { token, candidates })).match;
  const arrived = (user: string) =>
    eventually(async () => (await logins()).find((e) => e.user === user), 60_000, `a login event of ${user}`);

  beforeAll(async () => {
    // A fresh install that sets no mode: OPRF, the default (the restart below: the record holds).
    fleet = await startFleet();
    httpUrl = fleet.manager.httpUrl;
    const admin = await signIn('admin', ADMIN_PASSWORD);
    const created = CreatedUser.parse(
      await (await post(admin, '/api/v1/users', { username: 'privacy.officer', role: 'privacy_officer' })).json(),
    );
    const first = await signIn('privacy.officer', created.oneTimePassword);
    const changed = await post(first, '/api/v1/auth/password', {
      currentPassword: created.oneTimePassword,
      newPassword: OFFICER_PASSWORD,
    });
    expect(changed.status).toBe(200);
    officer = first;
  }, 180_000);
  afterAll(async () => {
    await restarted?.process.stop();
    await fleet?.stop();
  }, 60_000);

  it('enrolls the agent without a pseudonym key', () => {
    const keyFile = join(fleet.agentDataDir, 'pseudonym.key');
    // The identity store writes the key it was given: here, nothing.
    if (existsSync(keyFile)) expect(readFileSync(keyFile, 'utf8').trim()).toBe('');
    // The identity it keeps names no key of any kind beside its own TLS key.
    expect(readFileSync(join(fleet.agentDataDir, 'identity.json'), 'utf8')).not.toMatch(/pseudonym|oprf/i);
  });

  it("sends the tokens the manager's key gives, and no clear value", async () => {
    appendFileSync(fleet.authLog, sshdFailure('nurse.jones', '203.0.113.7'));
    const user = await lookup('user', 'nurse.jones');
    const ip = await lookup('ip', '203.0.113.7');
    const event = await arrived(user);
    expect(event.user).toMatch(/^u_[0-9a-f]{16}$/);
    expect(String(event.detail.sourceIp)).toBe(ip);
    // Another address of that /24: keyed by the network the agent already holds, its own token.
    appendFileSync(fleet.authLog, sshdFailure('porter.brown', '203.0.113.8'));
    const neighbour = await arrived(await lookup('user', 'porter.brown'));
    expect(String(neighbour.detail.sourceIp)).toBe(await lookup('ip', '203.0.113.8'));
    expect(neighbour.detail.sourceIp).not.toBe(event.detail.sourceIp);
    expect(await match(String(neighbour.detail.sourceIp), ['203.0.113.7', '::ffff:203.0.113.8'])).toBe(
      '::ffff:203.0.113.8',
    );
    expect(JSON.stringify(await logins())).not.toMatch(/nurse|jones|porter|brown|203\.0\.113/i);
  }, 90_000);

  it("sends file paths with the tokens the manager's key gives, keyed by their folder", async () => {
    // Two files of one folder: one evaluation (the folder), two tokens.
    const letter = join(fleet.phiFolder, 'referral-jones.pdf');
    const other = join(fleet.phiFolder, 'discharge-smith.pdf');
    writeFileSync(letter, 'x'.repeat(512));
    writeFileSync(other, 'y'.repeat(768));
    const created = await eventually(
      async () => {
        const files = (await events('file')).filter((e) => e.action === 'create');
        return files.length >= 2 ? files : undefined;
      },
      60_000,
      'two file events',
    );
    const lookedUp = [await lookup('path', letter), await lookup('path', other)];
    for (const token of lookedUp) expect(token).toMatch(/^p_\*_[0-9a-f]{16}$/);
    expect(lookedUp[0]).not.toBe(lookedUp[1]);
    const sent = created.map((e) => String(e.detail.path));
    for (const path of sent) expect(path).toMatch(/^p_phi_d1_[0-9a-f]{16}\.pdf$/);
    expect(sent.map((p) => p.slice(9, 25)).sort()).toEqual(lookedUp.map((t) => t.slice(4)).sort());
    const sentLetter = sent.find((p) => p.includes(lookedUp[0].slice(4)))!;
    expect(await match(sentLetter, [other, join(fleet.phiFolder, 'referral-jones.docx'), letter])).toBe(letter);
    expect(JSON.stringify(await events('file'))).not.toMatch(/referral|discharge|jones|smith|patient-records/i);
  }, 90_000);

  it('holds a new value while the manager is stopped and delivers it once it is back', async () => {
    const grpcPort = fleet.manager.grpcPort;
    const httpPort = Number(new URL(httpUrl).port);
    await fleet.manager.process.stop();
    appendFileSync(fleet.authLog, sshdFailure('locum.smith', '198.51.100.9'));
    const pending = join(fleet.agentDataDir, 'pending-events.bin');
    await eventually(
      () => (existsSync(pending) && statSync(pending).size > 0 ? true : undefined),
      30_000,
      'the event waiting on the workstation',
    );
    const env = Object.fromEntries(
      Object.entries(fleet.managerOptions.env ?? {}).filter(([name]) => name !== 'WARDWATCH_PSEUDONYM_MODE'),
    );
    restarted = await startManager({ ...fleet.managerOptions, env, grpcPort, httpPort });
    httpUrl = restarted.httpUrl;
    officer = await signIn('privacy.officer', OFFICER_PASSWORD);
    const user = await lookup('user', 'locum.smith');
    const event = await arrived(user);
    expect(String(event.detail.sourceIp)).toBe(await lookup('ip', '198.51.100.9'));
    expect(JSON.stringify(await logins())).not.toMatch(/locum|smith|198\.51\.100/i);
    await eventually(() => (statSync(pending).size === 0 ? true : undefined), 30_000, 'the wait emptied');
    // The restart (no mode set) kept the mode the first start recorded, and the stop audited
    // the first manager's evaluations.
    const audit = async (action: string) => {
      const response = await fetch(`${httpUrl}/api/v1/audit?action=${action}`, { headers: { cookie: officer } });
      expect(response.status).toBe(200);
      return AuditPage.parse(await response.json()).items.filter((r) => r.action === action);
    };
    expect((await audit('site.pseudonym_mode_record')).map((r) => r.details)).toEqual([
      { mode: 'oprf', why: 'new_site' },
    ]);
    const evaluations = await audit('pseudonym.evaluations');
    expect(evaluations.length).toBeGreaterThanOrEqual(1);
    expect(evaluations[0].actor).toMatch(/^agent:/);
    expect(evaluations[0].details).toMatchObject({ values: expect.any(Number) as number, refused: {} });
    expect(Number(evaluations[0].details.values)).toBeGreaterThan(0);
  }, 180_000);
});
