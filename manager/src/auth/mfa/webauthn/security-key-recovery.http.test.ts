// Recovery codes for an account with security keys only, through the real HTTP edge on
// SQLite and PostgreSQL: the first key (the first second factor of any kind) comes with ten
// recovery codes and a second key with none; the password step names only the key; a
// recovery code signs in once and an app's six digits cannot (there is no app); turning a
// later app off keeps the codes while a key remains; removing the last key ends them; new
// codes need a signature of one of the user's keys (they have no app code to give).
import {
  LoginResponse,
  MfaEnrollment,
  MfaStatus,
  RecoveryCodes,
  SecurityKeyCreationOptions,
  SecurityKeyRegistered,
  SecurityKeyRequestOptions,
} from '@wardwatch/shared';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { AuditLogEntity } from '../../../audit/audit-log.entity';
import { MfaRecoveryCodeEntity } from '../mfa.entity';
import { testEngines } from '../../../testing/test-engines.fixture';
import { jsonApi, managerForTests, TEST_ADMIN_PASSWORD } from '../../../testing/test-manager.fixture';
import { TotpDevice } from '../totp-device.fixture';
import { SoftwareSecurityKey } from './software-security-key.fixture';

const ORIGIN = 'https://wardwatch.ward3.test';
const ENV = {
  WARDWATCH_MFA_REQUIRED_ROLES: 'admin',
  WARDWATCH_PUBLIC_ORIGIN: ORIGIN,
  WARDWATCH_LOGIN_FREE_FAILURES: '50',
};

describe.each(testEngines)('recovery codes with security keys only, over HTTP on $name', (engine) => {
  const running = managerForTests(engine, ENV);
  const { call } = jsonApi(() => running.manager);
  const body = async (response: Response): Promise<unknown> => response.json();

  const passwordStep = async () => {
    const response = await call('POST', '/api/v1/auth/login', { username: 'admin', password: TEST_ADMIN_PASSWORD }, '');
    expect(response.status).toBe(200);
    const answer = LoginResponse.parse(await response.json());
    return { answer, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] };
  };
  const verify = (pendingToken: string, code: string) =>
    call('POST', '/api/v1/auth/mfa/verify', { pendingToken, code }, '');
  const status = async (cookie: string) =>
    MfaStatus.parse(await body(await call('GET', '/api/v1/auth/mfa', undefined, cookie)));
  const addKey = async (cookie: string, key: SoftwareSecurityKey, name: string) => {
    const options = SecurityKeyCreationOptions.parse(
      await body(await call('POST', '/api/v1/auth/mfa/security-keys/registration-options', {}, cookie)),
    );
    const added = await call(
      'POST',
      '/api/v1/auth/mfa/security-keys',
      { name, credential: key.register(options) },
      cookie,
    );
    expect(added.status).toBe(200);
    return SecurityKeyRegistered.parse(await added.json());
  };
  const removeKey = async (cookie: string, key: SoftwareSecurityKey, id: string) => {
    const proof = SecurityKeyRequestOptions.parse(
      await body(await call('POST', '/api/v1/auth/mfa/security-keys/step-up-options', {}, cookie)),
    );
    const path = `/api/v1/auth/mfa/security-keys/${id}/remove`;
    expect((await call('POST', path, { credential: key.assert(proof) }, cookie)).status).toBe(204);
  };
  // Read from the table: at the end the admin's session is held to enrolling again.
  const auditOf = (action: string) =>
    running.manager.app
      .get(DataSource)
      .getRepository(AuditLogEntity)
      .find({ where: { action }, order: { seq: 'ASC' } });

  it.skipIf(engine.skip)(
    'issues codes with the first key only, signs in with one once, keeps them past an app, ends them with the last key',
    async () => {
      const gated = (await passwordStep()).cookie;
      const blue = new SoftwareSecurityKey(ORIGIN);
      const first = await addKey(gated, blue, 'Blue key');
      expect(first.recoveryCodes).toHaveLength(10);
      const codes = first.recoveryCodes ?? [];
      expect(new Set(codes).size).toBe(10);
      const spare = new SoftwareSecurityKey(ORIGIN);
      const second = await addKey(gated, spare, 'Spare key');
      expect(second.recoveryCodes).toBeUndefined();
      expect(await status(gated)).toEqual({
        enabled: false,
        required: true,
        recoveryCodesLeft: 10,
        securityKeys: true,
      });

      // The password step names only the key; six digits cannot pass where there is no app.
      const step = await passwordStep();
      expect(step.answer).toMatchObject({ status: 'mfa_required', methods: ['security_key'] });
      const pending = 'pendingToken' in step.answer ? step.answer.pendingToken : '';
      expect((await verify(pending, '123456')).status).toBe(401);
      const signedIn = await verify(pending, codes[0]);
      expect(signedIn.status).toBe(200);
      expect(await signedIn.json()).toEqual({ username: 'admin', role: 'admin' });
      const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
      expect((await call('GET', '/api/v1/users', undefined, cookie)).status).toBe(200);
      // Each code works once.
      expect((await verify(pending, codes[0])).status).toBe(401);
      expect((await status(cookie)).recoveryCodesLeft).toBe(9);

      // An app added later brings its own ten; turning it off keeps them, for the keys.
      const enrollment = MfaEnrollment.parse(await body(await call('POST', '/api/v1/auth/mfa/enrollment', {}, cookie)));
      const device = new TotpDevice(enrollment.secret);
      const confirmed = await call(
        'POST',
        '/api/v1/auth/mfa/enrollment/confirm',
        { code: await device.nextCode() },
        cookie,
      );
      expect(confirmed.status).toBe(200);
      const appCodes = ((await confirmed.json()) as { recoveryCodes: string[] }).recoveryCodes;
      expect((await passwordStep()).answer).toMatchObject({ methods: ['totp', 'security_key'] });
      const off = await call('POST', '/api/v1/auth/mfa/disable', { code: await device.nextCode() }, cookie);
      expect(off.status).toBe(204);
      expect(await status(cookie)).toEqual({
        enabled: false,
        required: true,
        recoveryCodesLeft: 10,
        securityKeys: true,
      });
      const again = await passwordStep();
      expect(again.answer).toMatchObject({ methods: ['security_key'] });
      const pendingAgain = 'pendingToken' in again.answer ? again.answer.pendingToken : '';
      expect((await verify(pendingAgain, codes[1])).status).toBe(401); // replaced by the app's
      expect((await verify(pendingAgain, appCodes[0])).status).toBe(200);

      // One key left: the codes stay; the last key gone: they go, and the gate holds again.
      await removeKey(cookie, spare, second.id);
      expect((await status(cookie)).recoveryCodesLeft).toBe(9);
      await removeKey(cookie, blue, first.id);
      expect(await status(cookie)).toMatchObject({ recoveryCodesLeft: 0, securityKeys: false });
      expect(await running.manager.app.get(DataSource).getRepository(MfaRecoveryCodeEntity).count()).toBe(0);
      const bare = await passwordStep();
      expect(bare.answer).toMatchObject({ mfaEnrollmentRequired: true });
      expect((await call('GET', '/api/v1/users', undefined, bare.cookie)).status).toBe(403);

      // Audited with the change: codes issued with the first key only, kept past the app, ended with the last key.
      const added = await auditOf('auth.security_key_added');
      expect(added.map((row) => row.details.recoveryCodesIssued).sort()).toEqual([false, true]);
      const disabled = await auditOf('auth.mfa_disabled');
      expect(disabled.map((row) => row.details.recoveryCodesKept)).toEqual([true]);
      const removed = await auditOf('auth.security_key_removed');
      expect(removed.map((row) => row.details.recoveryCodesRemoved).sort()).toEqual([false, true]);
      const used = await auditOf('auth.mfa_recovery_code_used');
      expect(used).toHaveLength(2);
    },
    180_000,
  );

  it.skipIf(engine.skip)(
    'gives a keys-only user new recovery codes for a signature of their key, never for the session alone',
    async () => {
      const gated = (await passwordStep()).cookie;
      const blue = new SoftwareSecurityKey(ORIGIN);
      const added = await addKey(gated, blue, 'Blue key');
      const old = added.recoveryCodes ?? [];
      const step = await passwordStep();
      const pending = 'pendingToken' in step.answer ? step.answer.pendingToken : '';
      const signedIn = await verify(pending, old[0]);
      expect(signedIn.status).toBe(200);
      const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
      const regenerate = (proof: unknown) => call('POST', '/api/v1/auth/mfa/recovery-codes', proof, cookie);
      const stepUp = async () =>
        SecurityKeyRequestOptions.parse(
          await body(await call('POST', '/api/v1/auth/mfa/security-keys/step-up-options', {}, cookie)),
        );

      // The session alone, six digits where there is no app, or a key that is not theirs: nothing.
      expect((await regenerate({})).status).toBe(400);
      const digits = await regenerate({ code: '123456' });
      expect(digits.status).toBe(409);
      expect(await body(digits)).toMatchObject({ code: 'mfa_not_enrolled' });
      const stranger = new SoftwareSecurityKey(ORIGIN);
      stranger.register(
        SecurityKeyCreationOptions.parse(
          await body(await call('POST', '/api/v1/auth/mfa/security-keys/registration-options', {}, cookie)),
        ),
      );
      expect((await regenerate({ credential: stranger.assert(await stepUp()) })).status).toBe(403);
      expect((await status(cookie)).recoveryCodesLeft).toBe(9);

      // Their key's signature: ten new codes, the old ones end; the signature is spent.
      const signature = blue.assert(await stepUp());
      const fresh = await regenerate({ credential: signature });
      expect(fresh.status).toBe(200);
      const codes = RecoveryCodes.parse(await fresh.json()).recoveryCodes;
      expect(codes.some((code) => old.includes(code))).toBe(false);
      expect(await status(cookie)).toMatchObject({ recoveryCodesLeft: 10, securityKeys: true });
      expect((await regenerate({ credential: signature })).status).toBe(403);
      const again = await passwordStep();
      const pendingAgain = 'pendingToken' in again.answer ? again.answer.pendingToken : '';
      expect((await verify(pendingAgain, old[1])).status).toBe(401);
      expect((await verify(pendingAgain, codes[0])).status).toBe(200);

      const rows = await auditOf('auth.mfa_recovery_codes_regenerated');
      expect(rows.map((row) => row.details.confirmedWith)).toEqual(['security_key']);
      expect((await auditOf('auth.security_key_refused')).length).toBeGreaterThanOrEqual(2);
    },
    180_000,
  );
});
