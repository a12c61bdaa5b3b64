// A real OpenID provider for tests (oidc-provider, the certified Node implementation) on
// 127.0.0.1, with its own development login page: any login name is accepted as that
// account, whose claims the test sets in `accounts`. Consent is granted up front, so a
// sign-in is: provider login form → back to the relying party with a code.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type InteractionContext } from 'oidc-provider';

export const TEST_OIDC_CLIENT_ID = 'wardwatch-test';
export const TEST_OIDC_CLIENT_SECRET = 'a-test-client-secret-of-some-length';

export interface TestProvider {
  issuer: string;
  /** Claims (besides sub) of each account, read at every sign-in: change them between sign-ins. */
  accounts: Map<string, Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, Record<string, unknown>>();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_OIDC_CLIENT_ID,
        client_secret: TEST_OIDC_CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['test-provider-cookie-key'] },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], groups: ['groups'], roles: ['roles'] },
    scopes: ['openid', 'profile', 'groups', 'roles'],
    // Scope claims in the ID token too (by default a code flow gets them at userinfo only).
    conformIdTokenClaims: false,
    pkce: { methods: ['S256'], required: () => true },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx: unknown, id: string) => {
      if (!accounts.has(id)) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...accounts.get(id) }) };
    },
    // Consent is the organisation's: every scope the client asks for is granted.
    loadExistingGrant: async (ctx: InteractionContext) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client?.clientId,
        accountId: ctx.oidc.session?.accountId,
      });
      grant.addOIDCScope('openid profile groups roles');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    accounts,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** One browser's cookies, per origin (the manager's and the provider's). */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  header(url: URL): string {
    return [...(this.jars.get(url.origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(url: URL, response: Response): void {
    const jar = this.jars.get(url.origin) ?? new Map<string, string>();
    this.jars.set(url.origin, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || pair.slice(at + 1) === '';
      if (gone) jar.delete(name);
      else jar.set(name, pair.slice(at + 1));
    }
  }

  get(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  set(origin: string, name: string, value: string): void {
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    jar.set(name, value);
  }
}

/** A GET (or a form POST) as a browser sends it, without following redirects. */
export async function browse(jar: CookieJar, url: URL, form?: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: jar.header(url),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  jar.keep(url, response);
  return response;
}

/**
 * From the relying party's start URL through the provider's login page as `login`, up to the
 * redirect back to `callbackPrefix` (returned, not followed: the test decides what to do with it).
 */
export async function throughProvider(jar: CookieJar, start: URL, login: string, callbackPrefix: string): Promise<URL> {
  let url = start;
  for (let hop = 0; hop < 12; hop++) {
    const response = await browse(jar, url);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      if (url.href.startsWith(callbackPrefix)) return url;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action) throw new Error(`unexpected ${response.status} at ${url.href}`);
    const posted = await browse(jar, new URL(action, url), { prompt: 'login', login, password: 'any' });
    const next = posted.headers.get('location');
    if (!next) throw new Error(`the login form answered ${posted.status}`);
    url = new URL(next, url);
  }
  throw new Error('too many redirects');
}
