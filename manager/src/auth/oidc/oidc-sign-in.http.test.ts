// Single sign-on over real HTTP, against a real OpenID provider (oidc-provider on loopback)
// and a whole manager on each database engine: the browser goes start → provider login page
// → callback, and ends with the same session cookie a password sign-in gives.
import { AuditPage, CurrentUser, UserList } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { freePort } from '../../../../test/support/private-postgres';
import { Clock } from '../../common/clock';
import {
  CookieJar,
  browse,
  startTestProvider,
  throughProvider,
  TEST_OIDC_CLIENT_ID,
  TEST_OIDC_CLIENT_SECRET,
  type TestProvider,
} from '../../testing/oidc-provider.fixture';
import type { TestDatabase } from '../../testing/test-databases.fixture';
import { testEngines } from '../../testing/test-engines.fixture';
import { jsonApi, startTestManager, TEST_ADMIN_PASSWORD, type TestManager } from '../../testing/test-manager.fixture';
import { OidcTransactionEntity } from './oidc-transaction.entity';
import { TRANSACTION_TTL_MS } from './oidc-sign-in.service';

describe.each(testEngines)('single sign-on on $name', (engine) => {
  let provider: TestProvider;
  let manager: TestManager;
  let database: TestDatabase | undefined;
  let callbackPrefix: string;
  const api = jsonApi(() => manager);
  let admin = '';

  beforeAll(async () => {
    if (engine.skip) return;
    database = engine.make();
    const port = await freePort();
    callbackPrefix = `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`;
    provider = await startTestProvider(callbackPrefix);
    manager = await startTestManager({
      database: database.config,
      env: {
        WARDWATCH_HTTP_PORT: String(port),
        WARDWATCH_OIDC_ISSUER: provider.issuer,
        WARDWATCH_OIDC_CLIENT_ID: TEST_OIDC_CLIENT_ID,
        WARDWATCH_OIDC_CLIENT_SECRET: TEST_OIDC_CLIENT_SECRET,
        WARDWATCH_OIDC_SCOPES: 'openid profile groups',
        WARDWATCH_OIDC_ROLE_MAP: 'ward-it=it_staff,soc=analyst,ww-admins=admin',
      },
    });
    admin = await api.login('admin', TEST_ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await manager?.stop();
    await provider?.stop();
    await database?.dispose();
  });

  /** Through the provider as `login`, up to (not into) the callback. */
  async function toCallback(login: string): Promise<{ jar: CookieJar; callback: URL }> {
    const jar = new CookieJar();
    const callback = await throughProvider(
      jar,
      new URL('/api/v1/auth/oidc/start', manager.httpUrl),
      login,
      callbackPrefix,
    );
    return { jar, callback };
  }

  /** The callback; returns where the browser is sent and the session cookie, '' when refused. */
  async function complete(jar: CookieJar, callback: URL): Promise<{ location: string; session: string }> {
    const response = await browse(jar, callback);
    expect(response.status).toBe(302);
    return { location: response.headers.get('location') ?? '', session: jar.get(manager.httpUrl, 'ww_session') ?? '' };
  }

  async function signIn(login: string): Promise<{ location: string; session: string }> {
    const { jar, callback } = await toCallback(login);
    return complete(jar, callback);
  }

  async function me(session: string): Promise<Response> {
    return api.call('GET', '/api/v1/auth/me', undefined, `ww_session=${session}`);
  }

  async function audited(action: string): Promise<{ target: string; details: Record<string, unknown> }[]> {
    const page = AuditPage.parse(await (await api.call('GET', '/api/v1/audit?limit=500', undefined, admin)).json());
    return page.items.filter((row) => row.action === action);
  }

  async function refusalReasons(): Promise<unknown[]> {
    return (await audited('auth.sso_sign_in_failed')).map((row) => row.details.reason);
  }

  it.skipIf(engine.skip)('tells the sign-in page that SSO is on', async () => {
    const response = await fetch(`${manager.httpUrl}/api/v1/auth/oidc/status`);
    expect(await response.json()).toEqual({ enabled: true });
  });

  it.skipIf(engine.skip)('sends the browser to the provider with state, nonce and an S256 challenge', async () => {
    const jar = new CookieJar();
    const response = await browse(jar, new URL('/api/v1/auth/oidc/start', manager.httpUrl));
    expect(response.status).toBe(302);
    const target = new URL(response.headers.get('location') ?? '');
    expect(target.origin).toBe(provider.issuer);
    expect(target.searchParams.get('code_challenge_method')).toBe('S256');
    expect(target.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(target.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(target.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(target.searchParams.get('redirect_uri')).toBe(callbackPrefix);
    const cookie = response.headers.getSetCookie().join('\n');
    expect(cookie).toMatch(
      /ww_oidc=wwo_[\w-]+; Path=\/api\/v1\/auth\/oidc\/callback; HttpOnly; SameSite=Lax; Max-Age=600/,
    );
  });

  it.skipIf(engine.skip)('provisions an unknown user with the mapped role, in a real session', async () => {
    provider.accounts.set('sub-alice', {
      preferred_username: 'Alice.Martin@hospital.example',
      groups: ['nurses', 'soc'],
    });
    const { location, session } = await signIn('sub-alice');
    expect(location).toBe('/#/');
    const response = await me(session);
    expect(response.status).toBe(200);
    expect(CurrentUser.parse(await response.json())).toEqual({ username: 'alice.martin', role: 'analyst' });
    const signIns = await audited('auth.sso_sign_in');
    expect(signIns.at(0)).toMatchObject({ target: 'alice.martin', details: { subject: 'sub-alice', created: true } });
    // The account has no password: SSO is its only way in.
    expect(
      (await api.call('POST', '/api/v1/auth/login', { username: 'alice.martin', password: 'sso-only' }, '')).status,
    ).toBe(401);
  });

  it.skipIf(engine.skip)('links by (issuer, subject), never by name: a taken name gets a suffix', async () => {
    provider.accounts.set('sub-other-admin', { preferred_username: 'admin', groups: ['ward-it'] });
    const { session } = await signIn('sub-other-admin');
    const user = CurrentUser.parse(await (await me(session)).json());
    expect(user.username).toMatch(/^admin-[0-9a-f]{8}$/);
    expect(user.role).toBe('it_staff');
  });

  it.skipIf(engine.skip)('refuses a user whose claim maps to no role, and audits why', async () => {
    provider.accounts.set('sub-bob', { preferred_username: 'bob', groups: ['nurses'] });
    const { location, session } = await signIn('sub-bob');
    expect(session).toBe('');
    expect(location).toBe('/?sso_error=no_role_mapping#/');
    expect(await refusalReasons()).toContain('no_role_mapping');
    const users = UserList.parse(await (await api.call('GET', '/api/v1/users', undefined, admin)).json()).items;
    expect(users.map((u) => u.username)).not.toContain('bob');
  });

  it.skipIf(engine.skip)('refuses a callback whose state is not the one sent', async () => {
    provider.accounts.set('sub-carl', { groups: ['soc'] });
    const { jar, callback } = await toCallback('sub-carl');
    callback.searchParams.set('state', 'forged-state-value-0000000000');
    expect(await complete(jar, callback)).toMatchObject({ session: '', location: '/?sso_error=state_mismatch#/' });
  });

  it.skipIf(engine.skip)('refuses a replayed callback, and one without the starting browser', async () => {
    provider.accounts.set('sub-dana', { groups: ['soc'] });
    const { jar, callback } = await toCallback('sub-dana');
    const cookie = jar.get(manager.httpUrl, 'ww_oidc') ?? '';
    expect((await complete(jar, callback)).session).not.toBe('');
    const replay = new CookieJar();
    replay.set(manager.httpUrl, 'ww_oidc', cookie);
    expect(await complete(replay, callback)).toMatchObject({
      session: '',
      location: '/?sso_error=unknown_or_used_transaction#/',
    });
    // Another browser, handed the callback URL (login CSRF): no transaction cookie at all.
    const { callback: stolen } = await toCallback('sub-dana');
    expect(await complete(new CookieJar(), stolen)).toMatchObject({
      session: '',
      location: '/?sso_error=no_transaction_cookie#/',
    });
  });

  it.skipIf(engine.skip)('refuses an ID token whose nonce is not the one stored', async () => {
    provider.accounts.set('sub-erin', { groups: ['soc'] });
    const { jar, callback } = await toCallback('sub-erin');
    // The nonce the manager expects is no longer the one the provider put in the token.
    await manager.app
      .get(DataSource)
      .getRepository(OidcTransactionEntity)
      .update({ state: callback.searchParams.get('state') ?? '' }, { nonce: 'tampered-nonce-0000000000000000' });
    const { session, location } = await complete(jar, callback);
    expect(session).toBe('');
    expect(location).toMatch(/^\/\?sso_error=.*nonce/);
    expect((await refusalReasons()).some((reason) => String(reason).includes('nonce'))).toBe(true);
  });

  it.skipIf(engine.skip)('refuses a sign-in that took longer than the transaction lives', async () => {
    provider.accounts.set('sub-finn', { groups: ['soc'] });
    const { jar, callback } = await toCallback('sub-finn');
    const clock = manager.app.get(Clock);
    const realNow = clock.now.bind(clock);
    clock.now = () => realNow() + TRANSACTION_TTL_MS + 1_000;
    try {
      expect(await complete(jar, callback)).toMatchObject({
        session: '',
        location: '/?sso_error=transaction_expired#/',
      });
    } finally {
      clock.now = realNow;
    }
  });

  it.skipIf(engine.skip)('refuses a disabled user', async () => {
    provider.accounts.set('sub-gina', { preferred_username: 'gina', groups: ['ward-it'] });
    expect((await signIn('sub-gina')).session).not.toBe('');
    const users = UserList.parse(await (await api.call('GET', '/api/v1/users', undefined, admin)).json()).items;
    const gina = users.find((u) => u.username === 'gina');
    expect((await api.call('POST', `/api/v1/users/${gina?.id}/disable`, {}, admin)).ok).toBe(true);
    expect(await signIn('sub-gina')).toMatchObject({ session: '', location: '/?sso_error=disabled#/' });
    expect(await refusalReasons()).toContain('disabled');
  });

  it.skipIf(engine.skip)(
    're-evaluates the role at every sign-in and ends the other sessions when it changed',
    async () => {
      provider.accounts.set('sub-hugo', { preferred_username: 'hugo', groups: ['ward-it'] });
      const first = await signIn('sub-hugo');
      const second = await signIn('sub-hugo'); // same role: the first session stays
      expect((await me(first.session)).status).toBe(200);
      provider.accounts.set('sub-hugo', { preferred_username: 'hugo', groups: ['ward-it', 'ww-admins'] });
      const third = await signIn('sub-hugo');
      expect(CurrentUser.parse(await (await me(third.session)).json())).toEqual({ username: 'hugo', role: 'admin' });
      expect((await me(first.session)).status).toBe(401);
      expect((await me(second.session)).status).toBe(401);
      const changes = await audited('user.role_change');
      expect(changes.at(0)).toMatchObject({
        target: 'hugo',
        details: { from: 'it_staff', to: 'admin', sessionsEnded: 2 },
      });
    },
  );
});
