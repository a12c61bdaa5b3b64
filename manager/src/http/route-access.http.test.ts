// Every HTTP route declares who may call it, and the guard holds each role to it.
// The routes are read from the booted app's Nest metadata (and Express's route
// table, so nothing is served that Nest does not know); the matrix then calls each
// one over real HTTP as a signed-in user of every role.
import { hasPermission, rolePermissions, userRoles, type Permission, type UserRole } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExpressRoutes, listNestRoutes, type HttpRoute } from '../testing/route-table.fixture';
import { TEST_ADMIN_PASSWORD, startTestManager, type TestManager } from '../testing/test-manager.fixture';

/**
 * What each route declares. A new route, or a changed permission, must be added here
 * on purpose: the declared access is then what the role matrix below checks.
 */
const DECLARED: Record<string, 'public' | 'signed-in' | Permission> = {
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /api/v1/health': 'public',
  // Scrapers hold no session; MetricsController checks loopback or its bearer token.
  'GET /metrics': 'public',
  'POST /api/v1/auth/login': 'public',
  // Clears the cookie even when the session is already gone.
  'POST /api/v1/auth/logout': 'public',
  'GET /api/v1/auth/me': 'signed-in',
  'POST /api/v1/auth/password': 'signed-in',
  // Second factors (auth/mfa/): the code step has no session yet, only the pending token.
  'POST /api/v1/auth/mfa/verify': 'public',
  'GET /api/v1/auth/mfa': 'signed-in',
  'POST /api/v1/auth/mfa/enrollment': 'signed-in',
  'POST /api/v1/auth/mfa/enrollment/confirm': 'signed-in',
  'POST /api/v1/auth/mfa/recovery-codes': 'signed-in',
  'POST /api/v1/auth/mfa/disable': 'signed-in',
  // Security keys (auth/mfa/webauthn/): the sign-in step is public like the code step.
  'GET /api/v1/auth/mfa/security-keys': 'signed-in',
  'POST /api/v1/auth/mfa/security-keys': 'signed-in',
  'POST /api/v1/auth/mfa/security-keys/registration-options': 'signed-in',
  'POST /api/v1/auth/mfa/security-keys/step-up-options': 'signed-in',
  'POST /api/v1/auth/mfa/security-keys/:id/remove': 'signed-in',
  'POST /api/v1/auth/mfa/security-keys/sign-in-options': 'public',
  'POST /api/v1/auth/mfa/security-keys/sign-in': 'public',
  // Single sign-on (auth/oidc/): whether it is on, and the browser's way there and back.
  'GET /api/v1/auth/oidc/status': 'public',
  'GET /api/v1/auth/oidc/start': 'public',
  'GET /api/v1/auth/oidc/callback': 'public',
  'GET /api/v1/agents': 'events:read',
  'GET /api/v1/agents/:id': 'events:read',
  'PATCH /api/v1/agents/:id': 'agents:manage',
  'POST /api/v1/agents/:id/revoke': 'agents:manage',
  'POST /api/v1/agents/:id/maintenance-code': 'response:manage',
  'GET /api/v1/agents/:id/keks': 'agents:manage',
  'POST /api/v1/agents/:id/keks/rotate': 'agents:manage',
  'POST /api/v1/agents/:id/keks/revoke': 'agents:manage',
  'GET /api/v1/events': 'events:read',
  'GET /api/v1/events/stream': 'events:read',
  'GET /api/v1/events/actions': 'events:read',
  'GET /api/v1/alerts': 'events:read',
  'GET /api/v1/alerts/:id': 'events:read',
  'POST /api/v1/alerts/:id/transitions': 'alerts:triage',
  'POST /api/v1/alerts/:id/comments': 'alerts:triage',
  'GET /api/v1/scores': 'events:read',
  'GET /api/v1/incidents': 'events:read',
  'GET /api/v1/incidents/:id': 'events:read',
  'GET /api/v1/overview': 'events:read',
  'GET /api/v1/overview/risk-trend': 'events:read',
  'GET /api/v1/approvals': 'events:read',
  'GET /api/v1/approvals/:id': 'events:read',
  'POST /api/v1/approvals/:id/approve': 'response:approve',
  'POST /api/v1/approvals/:id/reject': 'response:approve',
  'GET /api/v1/commands': 'events:read',
  'GET /api/v1/commands/:id': 'events:read',
  'POST /api/v1/commands': 'response:manage',
  'POST /api/v1/commands/:id/undo': 'response:manage',
  'POST /api/v1/command-keys/rotate': 'agents:manage',
  'POST /api/v1/enrollment-tokens': 'agents:manage',
  'GET /api/v1/enrollment-tokens': 'agents:manage',
  'POST /api/v1/enrollment-tokens/:id/revoke': 'agents:manage',
  'GET /api/v1/agent-install': 'agents:manage',
  'GET /api/v1/audit': 'audit:read',
  'GET /api/v1/audit/verify': 'audit:read',
  'GET /api/v1/audit/status': 'audit:read',
  'POST /api/v1/audit/checkpoints': 'audit:read',
  'GET /api/v1/audit/export': 'audit:read',
  'POST /api/v1/reidentification/match': 'reidentify',
  'POST /api/v1/reidentification/lookup': 'reidentify',
  'POST /api/v1/reidentification/requests': 'reidentify',
  'GET /api/v1/reidentification/requests': 'reidentify',
  'POST /api/v1/reidentification/requests/:id/approve': 'reidentify',
  'POST /api/v1/reidentification/requests/:id/deny': 'reidentify',
  'GET /api/v1/users/grants': 'users:manage',
  'GET /api/v1/users/:id/sso': 'users:manage',
  'POST /api/v1/users/:id/sso': 'users:manage',
  'POST /api/v1/users/:id/sso/unlink': 'users:manage',
  'POST /api/v1/users/grants/:id/approve': 'users:manage',
  'POST /api/v1/users/grants/:id/deny': 'users:manage',
  'GET /api/v1/users': 'users:manage',
  'POST /api/v1/users': 'users:manage',
  'POST /api/v1/users/:id/disable': 'users:manage',
  'POST /api/v1/users/:id/role': 'users:manage',
  'POST /api/v1/users/:id/sign-out-everywhere': 'users:manage',
  'POST /api/v1/users/:id/mfa/reset': 'users:manage',
  'GET /api/v1/forwarding/destinations': 'integrations:manage',
  'POST /api/v1/forwarding/destinations': 'integrations:manage',
  'PATCH /api/v1/forwarding/destinations/:id': 'integrations:manage',
  'DELETE /api/v1/forwarding/destinations/:id': 'integrations:manage',
  'GET /api/v1/forwarding/destinations/:id/dead-letters': 'integrations:manage',
  'POST /api/v1/forwarding/destinations/:id/test': 'integrations:manage',
  'GET /api/v1/playbooks': 'playbooks:manage',
  'GET /api/v1/playbooks/:id': 'playbooks:manage',
  'GET /api/v1/playbooks/:id/versions': 'playbooks:manage',
  'POST /api/v1/playbooks': 'playbooks:manage',
  'PUT /api/v1/playbooks/:id': 'playbooks:manage',
  'GET /api/v1/staff-roles': 'playbooks:manage',
  'PUT /api/v1/staff-roles/:userToken': 'playbooks:manage',
  'DELETE /api/v1/staff-roles/:userToken': 'playbooks:manage',
  'GET /api/v1/policies': 'policies:read',
  'GET /api/v1/policies/current': 'policies:read',
  'GET /api/v1/policies/agents': 'policies:read',
  'GET /api/v1/policies/:version': 'policies:read',
  'POST /api/v1/policies': 'policies:manage',
  'GET /api/v1/agents/:id/policy': 'policies:read',
  'PUT /api/v1/agents/:id/policy': 'policies:manage',
  // Reports (reports/): admins, analysts and privacy officers; IT staff send commands but read no reports.
  'GET /api/v1/reports/hipaa': 'reports:read',
  'GET /api/v1/reports/alerts/export': 'reports:read',
  'GET /api/v1/reports/alerts/:id': 'reports:read',
  'GET /api/v1/reports/alerts/:id/timeline': 'reports:read',
  'GET /api/v1/reports/incidents/:id': 'reports:read',
  'GET /api/v1/reports/incidents/:id/timeline': 'reports:read',
  'PUT /api/v1/agents/:id/policy/canary': 'policies:manage',
  'GET /api/v1/policy-rollout': 'policies:read',
  'POST /api/v1/policy-rollout/resume': 'policies:manage',
  'POST /api/v1/policy-rollout/abort': 'policies:manage',
  'POST /api/v1/policy-rollout/promote': 'policies:manage',
  'GET /api/v1/policy-rollout/units': 'policies:read',
};

/** Served by Express outside Nest's controllers: the OpenAPI document and Swagger UI, public by design. */
const OUTSIDE_NEST = /^GET \/api\/docs(\b|\/|-)/;

function declaredAs(route: HttpRoute): string {
  const access = route.access;
  return access.kind === 'permission' ? access.permission : access.kind;
}

describe('every HTTP route declares its access', () => {
  let manager: TestManager;
  let routes: HttpRoute[];
  beforeAll(async () => {
    manager = await startTestManager();
    routes = listNestRoutes(manager.app);
  });
  afterAll(() => manager.stop());

  it('lists the routes from Nest metadata, and each declares a permission or public access', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(DECLARED).length);
    const undeclared = routes.filter((route) => route.access.kind === 'undeclared').map((r) => r.key);
    expect(undeclared, 'routes without @RequirePermission, @AnySignedInUser or @Public').toEqual([]);
  });

  it('declares exactly what the table above says', () => {
    const actual = Object.fromEntries(routes.map((route) => [route.key, declaredAs(route)]));
    expect(actual).toEqual(DECLARED);
  });

  it('serves no route Nest does not know, but the OpenAPI pages', () => {
    const nest = new Set(routes.map((route) => route.key));
    const extra = listExpressRoutes(manager.app).filter((key) => !nest.has(key));
    expect(extra.length).toBeGreaterThan(0); // the docs are there: the listing is real
    expect(extra.filter((key) => !OUTSIDE_NEST.test(key))).toEqual([]);
  });

  it('answers 401 without a session on every route that is not public', async () => {
    for (const route of routes.filter((r) => r.access.kind !== 'public')) {
      const response = await call(manager, route, undefined);
      expect(response.status, route.key).toBe(401);
    }
  });
});

describe('role × route matrix over real HTTP', () => {
  let manager: TestManager;
  let routes: HttpRoute[];
  const cookies = new Map<UserRole, string>();
  beforeAll(async () => {
    manager = await startTestManager();
    routes = listNestRoutes(manager.app);
    const admin = await signIn(manager, 'admin', TEST_ADMIN_PASSWORD);
    for (const role of userRoles) cookies.set(role, await userOfRole(manager, admin, role));
  });
  afterAll(() => manager.stop());

  it('the roles differ: some permission is held by one role and not another', () => {
    const held = userRoles.map((role) => rolePermissions[role].join(','));
    expect(new Set(held).size).toBe(userRoles.length);
  });

  for (const role of userRoles) {
    it(`${role}: 403 exactly on the routes whose permission the role lacks`, async () => {
      const cookie = cookies.get(role) ?? '';
      // Signing out ends the session the rest of the calls use: last.
      const ordered = [...routes].sort((a, b) => Number(isLogout(a)) - Number(isLogout(b)));
      const refused: string[] = [];
      const expected: string[] = [];
      for (const route of ordered) {
        const response = await call(manager, route, cookie);
        const access = route.access;
        if (access.kind === 'permission' && !hasPermission(role, access.permission)) expected.push(route.key);
        if (response.status === 403) refused.push(route.key);
        // Where the role may call it, the answer is the route's own (400, 404, 200…), never the guard's.
        else expect([401, 415], `${role} ${route.key}`).not.toContain(response.status);
        expect(response.status, `${role} ${route.key}`).toBeLessThan(500);
      }
      expect(refused).toEqual(expected);
    });
  }

  it('audits each refusal with the route and the permission it needed', async () => {
    const admin = await signIn(manager, 'admin', TEST_ADMIN_PASSWORD);
    const page = (await (
      await fetch(`${manager.httpUrl}/api/v1/audit?limit=500`, { headers: { cookie: admin } })
    ).json()) as { items: { action: string; actor: string; target: string; details: { permission?: string } }[] };
    const denied = page.items.filter((e) => e.action === 'access.denied' && e.actor === 'matrix-privacy_officer');
    expect(denied.map((entry) => entry.target)).toContain('POST /api/v1/users');
    expect(denied.find((entry) => entry.target === 'POST /api/v1/users')?.details.permission).toBe('users:manage');
  });
});

function isLogout(route: HttpRoute): boolean {
  return route.key === 'POST /api/v1/auth/logout';
}

/** One call to a route, its parameters filled with ids that exist nowhere, a JSON body on writes. */
async function call(manager: TestManager, route: HttpRoute, cookie: string | undefined): Promise<Response> {
  const path = route.path.replace(/:[A-Za-z]+/g, 'u_00000000000000ff');
  const write = route.method !== 'GET';
  const abort = new AbortController();
  const response = await fetch(`${manager.httpUrl}${path}`, {
    method: route.method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(write ? { 'content-type': 'application/json' } : {}),
    },
    body: write ? '{}' : undefined,
    signal: abort.signal,
  });
  // The event stream stays open once granted: its status is all the matrix needs.
  if (route.sse) abort.abort();
  else await response.arrayBuffer();
  return response;
}

async function signIn(manager: TestManager, username: string, password: string): Promise<string> {
  const response = await fetch(`${manager.httpUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

/** A user of the role, created by the admin, signed in, one-time password replaced. */
async function userOfRole(manager: TestManager, adminCookie: string, role: UserRole): Promise<string> {
  const json = { 'content-type': 'application/json' };
  const created = await fetch(`${manager.httpUrl}/api/v1/users`, {
    method: 'POST',
    headers: { ...json, cookie: adminCookie },
    body: JSON.stringify({ username: `matrix-${role}`, role }),
  });
  expect(created.status).toBe(201);
  const { oneTimePassword } = (await created.json()) as { oneTimePassword: string };
  const cookie = await signIn(manager, `matrix-${role}`, oneTimePassword);
  const changed = await fetch(`${manager.httpUrl}/api/v1/auth/password`, {
    method: 'POST',
    headers: { ...json, cookie },
    body: JSON.stringify({ currentPassword: oneTimePassword, newPassword: `new-password-of-${role}` }),
  });
  expect(changed.status).toBe(200);
  return cookie;
}
