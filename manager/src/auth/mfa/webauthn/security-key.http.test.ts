// Security keys through the real HTTP edge on SQLite and PostgreSQL, with a software key
// that signs for real (software-security-key.fixture.ts): registration lifts the MFA
// gate, a key signs in as the second step, and every forged or replayed response is
// refused (wrong or replayed challenge, a challenge of another purpose, wrong origin,
// unknown credential, a counter that does not move forward) and audited with why;
// removal needs a fresh signature.
import {
  LoginResponse,
  MfaEnrollment,
  SecurityKey,
  SecurityKeyCreationOptions,
  SecurityKeyRequestOptions,
  SecurityKeys,
} from '@wardwatch/shared';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { testEngines } from '../../../testing/test-engines.fixture';
import { jsonApi, managerForTests, TEST_ADMIN_PASSWORD } from '../../../testing/test-manager.fixture';
import { TotpDevice } from '../totp-device.fixture';
import { SoftwareSecurityKey } from './software-security-key.fixture';

const ORIGIN = 'https://wardwatch.ward3.test';
const ENV = {
  WARDWATCH_MFA_REQUIRED_ROLES: 'admin,privacy_officer',
  WARDWATCH_PUBLIC_ORIGIN: ORIGIN,
  WARDWATCH_LOGIN_FREE_FAILURES: '50',
};

describe.each(testEngines)('security keys over HTTP on $name', (engine) => {
  const running = managerForTests(engine, ENV);
  const { call } = jsonApi(() => running.manager);
  const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

  const passwordStep = async () => {
    const response = await call('POST', '/api/v1/auth/login', { username: 'admin', password: TEST_ADMIN_PASSWORD }, '');
    expect(response.status).toBe(200);
    const body = LoginResponse.parse(await response.json());
    return { body, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] };
  };
  const pendingTokenOf = (body: LoginResponse) => ('pendingToken' in body ? body.pendingToken : '');
  const signInOptions = async (pendingToken: string) => {
    const response = await call('POST', '/api/v1/auth/mfa/security-keys/sign-in-options', { pendingToken }, '');
    expect(response.status).toBe(200);
    return SecurityKeyRequestOptions.parse(await response.json());
  };
  const signIn = (pendingToken: string, credential: unknown) =>
    call('POST', '/api/v1/auth/mfa/security-keys/sign-in', { pendingToken, credential }, '');
  const refusals = async (cookie: string) => {
    const page = (await json(await call('GET', '/api/v1/audit?limit=500', undefined, cookie))) as {
      items: { action: string; details: Record<string, unknown> }[];
    };
    return page.items;
  };

  it.skipIf(engine.skip)(
    'registers a key, signs in with it, refuses every forged or replayed response, removes it with a signature',
    async () => {
      const first = await passwordStep();
      const admin = first.cookie;
      expect(first.body).toMatchObject({ mfaEnrollmentRequired: true });
      const key = new SoftwareSecurityKey(ORIGIN);

      // Registration: options from the configured origin, never from the request.
      const optionsOf = async () => {
        const answer = await call('POST', '/api/v1/auth/mfa/security-keys/registration-options', {}, admin);
        expect(answer.status).toBe(200);
        return SecurityKeyCreationOptions.parse(await answer.json());
      };
      const register = (credential: unknown, name = 'Blue key') =>
        call('POST', '/api/v1/auth/mfa/security-keys', { name, credential }, admin);
      const creation = await optionsOf();
      expect(creation.rp.id).toBe('wardwatch.ward3.test');
      expect(creation.attestation).toBe('none');
      const badOrigin = await register(key.register(creation, { origin: 'https://evil.test' }));
      expect(badOrigin.status).toBe(403);
      const creation2 = await optionsOf();
      const registration = key.register(creation2);
      const added = await register(registration);
      expect(added.status).toBe(200);
      expect(SecurityKey.parse(await added.json())).toMatchObject({ name: 'Blue key', transports: ['usb'] });
      // The registration challenge was spent: the same answer again is refused.
      expect((await register(registration, 'Copy')).status).toBe(403);
      // A key satisfies the requirement like an app: the gate is lifted.
      expect((await call('GET', '/api/v1/users', undefined, admin)).status).toBe(200);
      const listed = SecurityKeys.parse(
        await json(await call('GET', '/api/v1/auth/mfa/security-keys', undefined, admin)),
      );
      expect(listed.available).toBe(true);
      expect(listed.keys.map((k) => k.name)).toEqual(['Blue key']);

      // Sign-in: the password step names the method; the key's signature starts the session.
      const step = await passwordStep();
      expect(step.body).toMatchObject({ status: 'mfa_required', methods: ['security_key'] });
      expect(step.cookie).toBe('');
      const pending = pendingTokenOf(step.body);
      const good = key.assert(await signInOptions(pending), { signCount: 10 });
      const signedIn = await signIn(pending, good);
      expect(signedIn.status).toBe(200);
      expect(await json(signedIn)).toEqual({ username: 'admin', role: 'admin' });
      const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
      expect((await call('GET', '/api/v1/users', undefined, cookie)).status).toBe(200);

      // Replayed: the same signed answer again.
      expect((await signIn(pending, good)).status).toBe(401);
      // A challenge the manager never issued.
      await signInOptions(pending);
      const forgedChallenge = key.assert(await signInOptions(pending), {
        challenge: Buffer.alloc(32, 7).toString('base64url'),
      });
      expect((await signIn(pending, forgedChallenge)).status).toBe(401);
      // A challenge issued for another purpose (a step-up in the admin's session).
      const stepUp = await call('POST', '/api/v1/auth/mfa/security-keys/step-up-options', {}, cookie);
      const crossPurpose = key.assert(SecurityKeyRequestOptions.parse(await stepUp.json()));
      expect((await signIn(pending, crossPurpose)).status).toBe(401);
      // Signed for another site.
      const phished = key.assert(await signInOptions(pending), { origin: 'https://wardwatch.ward3.test.evil.example' });
      expect((await signIn(pending, phished)).status).toBe(401);
      // A key this manager never registered.
      const stranger = new SoftwareSecurityKey(ORIGIN);
      expect((await signIn(pending, stranger.assert(await signInOptions(pending)))).status).toBe(401);
      // A counter that goes backwards, or stands still: a cloned key.
      const stale = key.assert(await signInOptions(pending), { signCount: 10 });
      expect((await signIn(pending, stale)).status).toBe(401);
      const backwards = key.assert(await signInOptions(pending), { signCount: 3 });
      expect((await signIn(pending, backwards)).status).toBe(401);
      // A signature that does not match.
      const tampered = key.assert(await signInOptions(pending));
      const signature = Buffer.from(tampered.response.signature, 'base64url');
      signature[signature.length - 1] ^= 1;
      const broken = { ...tampered, response: { ...tampered.response, signature: signature.toString('base64url') } };
      expect((await signIn(pending, broken)).status).toBe(401);
      // And the right key, with a fresh challenge and a greater counter, still signs in.
      expect((await signIn(pending, key.assert(await signInOptions(pending)))).status).toBe(200);

      const rows = await refusals(cookie);
      const why = rows
        .filter((row) => row.action === 'auth.security_key_refused')
        .map((row) => `${String(row.details.purpose)}:${String(row.details.why)}`)
        .sort();
      expect(why).toEqual(
        [
          'register:origin',
          'register:challenge',
          'sign_in:challenge',
          'sign_in:challenge',
          'sign_in:challenge',
          'sign_in:origin',
          'sign_in:unknown_credential',
          'sign_in:counter',
          'sign_in:counter',
          'sign_in:signature',
        ].sort(),
      );
      const regressions = rows.filter((row) => row.action === 'auth.security_key_counter_regression');
      expect(regressions).toHaveLength(2);
      expect(regressions.map((row) => row.details.received).sort()).toEqual([10, 3]);
      expect(rows.filter((row) => row.action === 'auth.security_key_added')).toHaveLength(1);
      expect(
        rows.filter((row) => row.action === 'auth.login' && row.details.secondFactor === 'security_key'),
      ).toHaveLength(2);

      // Removal takes a fresh second factor: nothing, or a code without an app, is refused.
      const [stored] = SecurityKeys.parse(
        await json(await call('GET', '/api/v1/auth/mfa/security-keys', undefined, cookie)),
      ).keys;
      const removePath = `/api/v1/auth/mfa/security-keys/${stored.id}/remove`;
      expect((await call('POST', removePath, {}, cookie)).status).toBe(400);
      expect((await call('POST', removePath, { code: '123456' }, cookie)).status).toBe(409);
      const proofOptions = SecurityKeyRequestOptions.parse(
        await json(await call('POST', '/api/v1/auth/mfa/security-keys/step-up-options', {}, cookie)),
      );
      expect((await call('POST', removePath, { credential: stranger.assert(proofOptions) }, cookie)).status).toBe(403);
      const proof = SecurityKeyRequestOptions.parse(
        await json(await call('POST', '/api/v1/auth/mfa/security-keys/step-up-options', {}, cookie)),
      );
      expect((await call('POST', removePath, { credential: key.assert(proof) }, cookie)).status).toBe(204);
      const removed = await running.manager.app
        .get(DataSource)
        .query<{ n: number | string }[]>(
          "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'auth.security_key_removed'",
        );
      expect(Number(removed[0].n)).toBe(1);
      // With its last factor gone, the admin is held to enrolling again.
      const gated = await call('GET', '/api/v1/users', undefined, cookie);
      expect(gated.status).toBe(403);
      expect((await json(gated)).code).toBe('mfa_enrollment_required');
    },
    180_000,
  );

  it.skipIf(engine.skip)(
    'removes a key with a code from the app instead; a wrong code keeps it; the app still holds the gate',
    async () => {
      // The first test left the admin without a factor: the password alone gives a gated session.
      const { cookie } = await passwordStep();
      const started = MfaEnrollment.parse(await json(await call('POST', '/api/v1/auth/mfa/enrollment', {}, cookie)));
      const device = new TotpDevice(started.secret);
      const confirmed = await call(
        'POST',
        '/api/v1/auth/mfa/enrollment/confirm',
        { code: await device.nextCode() },
        cookie,
      );
      expect(confirmed.status).toBe(200);
      const key = new SoftwareSecurityKey(ORIGIN);
      const creation = SecurityKeyCreationOptions.parse(
        await json(await call('POST', '/api/v1/auth/mfa/security-keys/registration-options', {}, cookie)),
      );
      const added = await call(
        'POST',
        '/api/v1/auth/mfa/security-keys',
        { name: 'Spare', credential: key.register(creation) },
        cookie,
      );
      const { id } = SecurityKey.parse(await added.json());
      const removePath = `/api/v1/auth/mfa/security-keys/${id}/remove`;
      // Both at once is not one fresh factor but an ambiguous request.
      expect(
        (await call('POST', removePath, { code: '000000', credential: key.assert({ challenge: 'AAAA' }) }, cookie))
          .status,
      ).toBe(400);
      expect((await call('POST', removePath, { code: '000000' }, cookie)).status).toBe(403);
      expect(
        SecurityKeys.parse(await json(await call('GET', '/api/v1/auth/mfa/security-keys', undefined, cookie))).keys,
      ).toHaveLength(1);
      expect((await call('POST', removePath, { code: await device.nextCode() }, cookie)).status).toBe(204);
      expect(
        SecurityKeys.parse(await json(await call('GET', '/api/v1/auth/mfa/security-keys', undefined, cookie))).keys,
      ).toHaveLength(0);
      expect((await call('GET', '/api/v1/users', undefined, cookie)).status).toBe(200);
      const rows = await refusals(cookie);
      const removal = rows.find((row) => row.action === 'auth.security_key_removed' && row.details.name === 'Spare');
      expect(removal?.details).toMatchObject({ confirmedWith: 'totp' });
      expect(
        rows.some((row) => row.action === 'auth.mfa_failed' && row.details.purpose === 'remove_security_key'),
      ).toBe(true);
    },
    120_000,
  );
});
