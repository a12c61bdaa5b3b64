// Second factors through the real HTTP edge on SQLite and PostgreSQL: enrolment, the
// two-step sign-in, replay and single-use recovery codes, the required-role gate, an
// admin's reset, turning it off, and throttled, audited wrong codes.
import { statSync } from 'node:fs';
import { LoginResponse, MfaEnrollment, MfaStatus, RecoveryCodes, type CurrentUser } from '@wardwatch/shared';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/test-engines.fixture';
import { jsonApi, managerForTests, TEST_ADMIN_PASSWORD } from '../../testing/test-manager.fixture';
import { TotpDevice } from './totp-device.fixture';

const ENV = { WARDWATCH_MFA_REQUIRED_ROLES: 'admin,privacy_officer', WARDWATCH_LOGIN_FREE_FAILURES: '3' };

describe.each(testEngines)('second factors over HTTP on $name', (engine) => {
  const running = managerForTests(engine, ENV);
  const { call } = jsonApi(() => running.manager);
  /** The admin's first session, enrolled by the first test and kept by the others. */
  let adminCookie = '';
  const adminSession = () => Promise.resolve(adminCookie);
  const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

  /** The password step: the cookie when it signed in, the pending token when a code is due. */
  const passwordStep = async (username: string, password: string) => {
    const response = await call('POST', '/api/v1/auth/login', { username, password }, '');
    expect(response.status).toBe(200);
    const body = LoginResponse.parse(await response.json());
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
    return { body, cookie, pendingToken: 'pendingToken' in body ? body.pendingToken : '' };
  };
  const codeStep = (pendingToken: string, code: string) =>
    call('POST', '/api/v1/auth/mfa/verify', { pendingToken, code }, '');
  const enrol = async (cookie: string) => {
    const started = MfaEnrollment.parse(await json(await call('POST', '/api/v1/auth/mfa/enrollment', {}, cookie)));
    const device = new TotpDevice(started.secret);
    const confirmed = await call(
      'POST',
      '/api/v1/auth/mfa/enrollment/confirm',
      { code: await device.nextCode() },
      cookie,
    );
    expect(confirmed.status).toBe(200);
    return { device, started, recoveryCodes: RecoveryCodes.parse(await confirmed.json()).recoveryCodes };
  };
  /** A user of the role, created by the admin, one-time password replaced; returns its id and cookie. */
  const userOf = async (adminCookie: string, username: string, role: string, password: string) => {
    const created = await json(await call('POST', '/api/v1/users', { username, role }, adminCookie));
    const oneTime = String(created.oneTimePassword);
    const { cookie } = await passwordStep(username, oneTime);
    const changed = await call(
      'POST',
      '/api/v1/auth/password',
      { currentPassword: oneTime, newPassword: password },
      cookie,
    );
    expect(changed.status).toBe(200);
    return { id: String((created.user as { id: string }).id), cookie };
  };
  const auditActions = async (cookie: string) => {
    const page = (await json(await call('GET', '/api/v1/audit?limit=500', undefined, cookie))) as {
      items: { action: string; target: string; details: Record<string, unknown> }[];
    };
    return page.items;
  };

  it.skipIf(engine.skip)(
    'gates an admin until enrolled, then asks for a code at sign-in, refuses a replay, spends recovery codes once',
    async () => {
      const { manager } = running;
      const first = await passwordStep('admin', TEST_ADMIN_PASSWORD);
      const admin = first.cookie;
      adminCookie = admin;
      expect(first.body).toEqual({ username: 'admin', role: 'admin', mfaEnrollmentRequired: true });
      const gated = await call('GET', '/api/v1/users', undefined, admin);
      expect(gated.status).toBe(403);
      expect((await json(gated)).code).toBe('mfa_enrollment_required');
      expect(await json(await call('GET', '/api/v1/auth/me', undefined, admin))).toMatchObject({
        mfaEnrollmentRequired: true,
      });
      expect(MfaStatus.parse(await json(await call('GET', '/api/v1/auth/mfa', undefined, admin)))).toEqual({
        enabled: false,
        required: true,
        recoveryCodesLeft: 0,
        securityKeys: false,
      });

      const started = MfaEnrollment.parse(await json(await call('POST', '/api/v1/auth/mfa/enrollment', {}, admin)));
      expect(started.otpauthUri).toContain(`secret=${started.secret}`);
      const wrong = await call('POST', '/api/v1/auth/mfa/enrollment/confirm', { code: '000000' }, admin);
      expect(wrong.status).toBe(403);
      const device = new TotpDevice(started.secret);
      const confirmed = await call(
        'POST',
        '/api/v1/auth/mfa/enrollment/confirm',
        { code: await device.nextCode() },
        admin,
      );
      expect(confirmed.status).toBe(200);
      const { recoveryCodes } = RecoveryCodes.parse(await confirmed.json());
      expect(new Set(recoveryCodes).size).toBe(10);
      // The same session goes on, no longer gated.
      expect((await call('GET', '/api/v1/users', undefined, admin)).status).toBe(200);

      // At rest: the secret is sealed in the database, the key is in a 0600 file outside it.
      const rows = await manager.app
        .get(DataSource)
        .query<{ sealed_secret: string }[]>('SELECT sealed_secret FROM user_mfa');
      expect(rows).toHaveLength(1);
      expect(rows[0].sealed_secret).not.toContain(started.secret);
      expect(rows[0].sealed_secret.startsWith('v1.')).toBe(true);
      expect(statSync(manager.config.mfa.keyFile).mode & 0o777).toBe(0o600);
      const stored = await manager.app
        .get(DataSource)
        .query<{ code_hash: string }[]>('SELECT code_hash FROM mfa_recovery_code');
      expect(stored.map((r) => r.code_hash).some((hash) => recoveryCodes.some((c) => hash.includes(c)))).toBe(false);

      // The password alone no longer signs in: a pending token, and no cookie.
      const step = await passwordStep('admin', TEST_ADMIN_PASSWORD);
      expect(step.body).toMatchObject({ status: 'mfa_required' });
      expect(step.cookie).toBe('');
      // The code that confirmed the enrolment is spent.
      const replayed = await codeStep(step.pendingToken, device.lastCode());
      expect(replayed.status).toBe(401);
      expect(String((await json(replayed)).message)).toContain('used already');
      const signedIn = await codeStep(step.pendingToken, await device.nextCode());
      expect(signedIn.status).toBe(200);
      expect((await json(signedIn)) as CurrentUser).toEqual({ username: 'admin', role: 'admin' });
      const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
      expect((await call('GET', '/api/v1/users', undefined, cookie)).status).toBe(200);
      // And that code cannot open a second session, even with a fresh pending token.
      const again = await passwordStep('admin', TEST_ADMIN_PASSWORD);
      expect((await codeStep(again.pendingToken, device.lastCode())).status).toBe(401);
      // A forged or altered pending token is refused before any code is looked at.
      const forged = await codeStep(`${again.pendingToken.slice(0, -2)}xx`, '123456');
      expect(forged.status).toBe(401);
      expect((await json(forged)).code).toBe('mfa_sign_in_expired');

      // A recovery code signs in once.
      const byRecovery = await codeStep(again.pendingToken, recoveryCodes[0].toUpperCase());
      expect(byRecovery.status).toBe(200);
      const later = await passwordStep('admin', TEST_ADMIN_PASSWORD);
      expect((await codeStep(later.pendingToken, recoveryCodes[0])).status).toBe(401);
      expect(MfaStatus.parse(await json(await call('GET', '/api/v1/auth/mfa', undefined, admin)))).toEqual({
        enabled: true,
        required: true,
        recoveryCodesLeft: 9,
        securityKeys: false,
      });

      // New recovery codes need a current code; the old ones stop working.
      expect((await call('POST', '/api/v1/auth/mfa/recovery-codes', { code: device.lastCode() }, admin)).status).toBe(
        403,
      );
      const fresh = await call('POST', '/api/v1/auth/mfa/recovery-codes', { code: await device.nextCode() }, admin);
      expect(fresh.status).toBe(200);
      const newCodes = RecoveryCodes.parse(await fresh.json()).recoveryCodes;
      expect((await codeStep(later.pendingToken, recoveryCodes[1])).status).toBe(401);
      expect((await codeStep(later.pendingToken, newCodes[0])).status).toBe(200);

      const actions = (await auditActions(admin)).map((row) => row.action);
      for (const action of [
        'auth.mfa_enrollment_started',
        'auth.mfa_enabled',
        'auth.login_password_accepted',
        'auth.mfa_failed',
        'auth.mfa_recovery_code_used',
        'auth.mfa_recovery_codes_regenerated',
      ])
        expect(actions).toContain(action);
    },
    180_000,
  );

  it.skipIf(engine.skip)(
    'leaves analysts optional, gates a privacy officer after the password change, lets an admin reset',
    async () => {
      const admin = await adminSession();
      const analyst = await userOf(admin, 'ward.analyst', 'analyst', 'analyst-password-1');
      expect((await call('GET', '/api/v1/events', undefined, analyst.cookie)).status).toBe(200);
      expect(
        MfaStatus.parse(await json(await call('GET', '/api/v1/auth/mfa', undefined, analyst.cookie))),
      ).toMatchObject({
        required: false,
      });

      const officer = await userOf(admin, 'privacy.officer', 'privacy_officer', 'officer-password-1');
      expect(await json(await call('GET', '/api/v1/auth/me', undefined, officer.cookie))).toEqual({
        username: 'privacy.officer',
        role: 'privacy_officer',
        mfaEnrollmentRequired: true,
      });
      const refused = await call('GET', '/api/v1/audit', undefined, officer.cookie);
      expect(refused.status).toBe(403);
      expect((await json(refused)).code).toBe('mfa_enrollment_required');
      const { device } = await enrol(officer.cookie);
      expect((await call('GET', '/api/v1/audit', undefined, officer.cookie)).status).toBe(200);
      expect(device).toBeDefined();

      // An admin resets the officer's factor: the officer's sessions end, and the gate is back.
      const self = await json(await call('GET', '/api/v1/users', undefined, admin));
      const adminId = (self.items as { id: string; username: string }[]).find((u) => u.username === 'admin')?.id ?? '';
      expect((await call('POST', `/api/v1/users/${adminId}/mfa/reset`, {}, admin)).status).toBe(403);
      const reset = await call('POST', `/api/v1/users/${officer.id}/mfa/reset`, {}, admin);
      expect(reset.status).toBe(200);
      expect((await json(reset)).sessionsEnded).toBe(1);
      expect((await call('GET', '/api/v1/auth/me', undefined, officer.cookie)).status).toBe(401);
      const back = await passwordStep('privacy.officer', 'officer-password-1');
      expect(back.body).toMatchObject({ mfaEnrollmentRequired: true });
      const resets = (await auditActions(admin)).filter((row) => row.action === 'auth.mfa_reset');
      expect(resets).toEqual([expect.objectContaining({ target: 'privacy.officer' })]);
      expect(resets[0].details).toMatchObject({ hadFactor: true, sessionsEnded: 1 });
      expect((await call('POST', '/api/v1/users/u_nobody/mfa/reset', {}, admin)).status).toBe(404);
      expect((await call('POST', `/api/v1/users/${officer.id}/mfa/reset`, {}, analyst.cookie)).status).toBe(403);

      // Turning one's own factor off takes a current code; then the gate is back.
      const again = await enrol(back.cookie);
      expect((await call('POST', '/api/v1/auth/mfa/disable', { code: '000000' }, back.cookie)).status).toBe(403);
      const off = await call('POST', '/api/v1/auth/mfa/disable', { code: await again.device.nextCode() }, back.cookie);
      expect(off.status).toBe(204);
      expect((await json(await call('GET', '/api/v1/audit', undefined, back.cookie))).code).toBe(
        'mfa_enrollment_required',
      );
    },
    180_000,
  );

  it.skipIf(engine.skip)(
    'throttles wrong codes per account with Retry-After, and audits each',
    async () => {
      const admin = await adminSession();
      const user = await userOf(admin, 'night.analyst', 'analyst', 'night-analyst-password');
      const { device } = await enrol(user.cookie);
      const { pendingToken } = await passwordStep('night.analyst', 'night-analyst-password');
      // Three failures are free; the fourth blocks the account's codes for 1 s.
      for (let i = 0; i < 4; i++) expect((await codeStep(pendingToken, '000000')).status).toBe(401);
      const limited = await codeStep(pendingToken, await device.nextCode());
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The password step is not locked by code guessing.
      expect((await passwordStep('night.analyst', 'night-analyst-password')).body).toMatchObject({
        status: 'mfa_required',
      });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await codeStep(pendingToken, device.lastCode())).status).toBe(200);
      const failed = (await auditActions(admin)).filter(
        (row) => row.action === 'auth.mfa_failed' && row.target === 'night.analyst',
      );
      expect(failed).toHaveLength(4);
      expect(failed[0].details).toMatchObject({ purpose: 'sign_in', why: 'wrong' });
    },
    120_000,
  );
});
