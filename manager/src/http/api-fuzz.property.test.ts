// Fuzz of every REST route a real manager serves (on its SQLite, in a temp data
// folder): random JSON and non-JSON bodies, wrong content types and encodings,
// bodies over the limit, random query strings and path parameters, signed out and
// signed in as the admin. Properties: never a 5xx (but readiness's documented 503),
// never a hang, every error is JSON with a message and shows no stack or SQL, nothing
// is logged as a server error, and the manager answers normally afterwards.
//
// WARDWATCH_FUZZ_RUNS sets the runs per route (default 25); fast-check prints the seed
// of a failure, and FC_SEED=<seed> replays it.
import fc from 'fast-check';
import { CurrentUser, Health } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from './request-context';
import { rawRequest, servedRoutes, type RawResponse, type ServedRoute } from '../testing/http-fuzz.fixture';
import { startTestManager, TEST_ADMIN_PASSWORD, type TestManager } from '../testing/test-manager.fixture';

const RUNS = Number(process.env.WARDWATCH_FUZZ_RUNS ?? 25);
/** Room for the runs on a loaded machine (about 35 ms a request). */
const TIMEOUT_MS = 120_000 + RUNS * 3_000;
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
/** Fewer routes than this means the enumeration broke, not that the API shrank. */
const MIN_ROUTES = 25;
/** Above Nest's body parser limit (100 kB). */
const HUGE_BYTES = 150 * 1024;
const LOGOUT = '/api/v1/auth/logout';

// Field names the API knows, so that some random bodies and queries get past the first check.
const KNOWN_KEYS = [
  'username',
  'password',
  'currentPassword',
  'newPassword',
  'role',
  'ttlMinutes',
  'note',
  'reason',
  'caseReference',
  'candidates',
  'token',
  'limit',
  'cursor',
  'agentId',
  'since',
  'until',
  'severity',
  'kind',
  'user',
  'minScore',
  'status',
];
const key = fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', 'admin', '1e309', '-1', '9'.repeat(40), '__proto__', "' OR 1=1 --", 'x'.repeat(5000)),
);
const jsonValue = fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

type Body = { contentType?: string; encoding?: string; bytes?: Buffer };
const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=bogus',
      'text/plain',
      'text/html',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/octet-stream',
      'application/xml',
      'application/merge-patch+json',
      '*/*',
    ),
    fc.stringMatching(/^[\x21-\x7e]{1,40}$/),
  ),
  { nil: undefined },
);
const body: fc.Arbitrary<Body> = fc.oneof(
  {
    weight: 4,
    arbitrary: jsonValue.map((v) => ({ contentType: 'application/json', bytes: Buffer.from(JSON.stringify(v)) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        contentType,
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          fc.string({ unit: 'binary', maxLength: 300 }),
        ),
      )
      .map(([type, text]) => ({ contentType: type, bytes: Buffer.from(text) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(contentType, fc.uint8Array({ maxLength: 300 }))
      .map(([type, bytes]) => ({ contentType: type, bytes: Buffer.from(bytes) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-wardwatch'), jsonValue)
      .map(([encoding, v]) => ({ contentType: 'application/json', encoding, bytes: Buffer.from(JSON.stringify(v)) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        contentType,
        fc.constantFrom('"', '{"a":"', 'a=', '['),
        fc.integer({ min: HUGE_BYTES, max: 2 * HUGE_BYTES }),
      )
      .map(([type, head, size]) => ({
        contentType: type ?? 'application/json',
        bytes: Buffer.from(head.padEnd(size, 'x')),
      })),
  },
  { weight: 1, arbitrary: fc.constant<Body>({}) },
);

/** A path parameter: random text percent-encoded, or raw bytes a decoder may refuse. */
const param = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..', '.', 'x'.repeat(4000), '%2F..%2F') },
);
const queryPart = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('%', '%zz', '[]', '[a]', 'x'.repeat(3000), '-1', '1e400', '0x10', 'NaN'),
);
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...KNOWN_KEYS), queryPart), queryPart), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));
const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

const STACK = /\n\s+at |node_modules|\.[jt]s:\d+:\d+/;
const SQL = /SQLITE_|QueryFailedError|\bSELECT\b[\s\S]*\bFROM\b|\bINSERT INTO\b|\bsyntax error at or near\b/i;

function checkAnswer(route: ServedRoute, method: string, res: RawResponse): void {
  const where = `${method} ${route.path} → ${res.status}: ${res.text.slice(0, 300)}`;
  const documented503 = route.path === '/health/ready' && res.status === 503;
  if (res.status >= 500 && !documented503) throw new Error(`server error: ${where}`);
  if (res.status < 400 || method === 'HEAD') return;
  if (!/^application\/json/.test(String(res.headers['content-type']))) throw new Error(`error not JSON: ${where}`);
  const parsed = JSON.parse(res.text) as { message?: unknown };
  const message = Array.isArray(parsed.message) ? parsed.message.join(' ') : parsed.message;
  if (typeof message !== 'string' || message.trim() === '') throw new Error(`error without a message: ${where}`);
  if (STACK.test(res.text) || SQL.test(res.text)) throw new Error(`error shows internals: ${where}`);
}

describe('REST fuzz: every route, random requests', () => {
  let manager: TestManager;
  let routes: ServedRoute[];
  /** The admin's session for the fuzz, and one kept for the check afterwards. */
  let fuzzCookie = '';
  let keptCookie = '';

  const signIn = async (): Promise<string> => {
    const res = await rawRequest(manager.httpUrl, {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD })),
    });
    const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0];
    if (res.status !== 200 || !cookie) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
    return cookie;
  };

  beforeAll(async () => {
    manager = await startTestManager();
    // Sign-out last: once a fuzzed sign-out ends the session, the rest run signed out.
    routes = servedRoutes(manager).sort((a, b) => Number(a.path === LOGOUT) - Number(b.path === LOGOUT));
    // Both before the fuzz: fuzzed password changes may lock the admin's sign-in for a while.
    fuzzCookie = await signIn();
    keptCookie = await signIn();
  });
  afterAll(async () => manager?.stop());

  it(`finds every route (at least ${MIN_ROUTES})`, () => {
    expect(routes.length).toBeGreaterThanOrEqual(MIN_ROUTES);
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/events', 'POST /api/v1/agents/:id/revoke']),
    );
  });

  it(
    'answers every random request to every route with a clear 4xx or a success, never a 5xx or a hang',
    async () => {
      const errorsBefore = manager.logs.filter((l) => l.level === 'error').length;
      const started = Date.now();
      let requests = 0;
      for (const route of routes) {
        const request = fc.record({
          method: fc.oneof(
            { weight: 5, arbitrary: fc.constant(route.method) },
            { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) },
          ),
          params: fc.array(param, { minLength: 4, maxLength: 4 }),
          query,
          body,
          // Signed in as the admin, signed out, or a session cookie that is made up.
          session: fc.oneof(
            fc.constantFrom('admin', 'none'),
            fc.stringMatching(/^[\x21-\x7e]{0,80}$/).map((value) => `${SESSION_COOKIE}=${value}`),
          ),
        });
        await fc.assert(
          fc.asyncProperty(request, async (r) => {
            let index = 0;
            const path = route.path.replace(/:\w+/g, () => r.params[index++ % r.params.length]);
            const headers: Record<string, string> = {};
            if (r.body.contentType) headers['content-type'] = r.body.contentType;
            if (r.body.encoding) headers['content-encoding'] = r.body.encoding;
            if (r.session !== 'none') headers.cookie = r.session === 'admin' ? fuzzCookie : r.session;
            const sent = r.body.bytes && r.method !== 'HEAD' ? r.body.bytes : undefined;
            const res = await rawRequest(manager.httpUrl, {
              method: r.method,
              path: path + r.query,
              headers,
              body: sent,
            });
            requests += 1;
            checkAnswer(route, r.method, res);
          }),
          { numRuns: RUNS, seed: SEED },
        );
      }
      const serverErrors = manager.logs.filter((l) => l.level === 'error').slice(errorsBefore);
      expect(serverErrors).toEqual([]);
      console.log(`REST fuzz: ${routes.length} routes, ${requests} requests in ${Date.now() - started} ms`);
    },
    TIMEOUT_MS,
  );

  it('answers normally after the fuzz', async () => {
    const health = await rawRequest(manager.httpUrl, { method: 'GET', path: '/api/v1/health', headers: {} });
    expect(health.status).toBe(200);
    expect(Health.parse(JSON.parse(health.text)).status).toBe('ok');
    const me = await rawRequest(manager.httpUrl, {
      method: 'GET',
      path: '/api/v1/auth/me',
      headers: { cookie: keptCookie },
    });
    expect(me.status).toBe(200);
    expect(CurrentUser.parse(JSON.parse(me.text)).username).toBe('admin');
  });
});
