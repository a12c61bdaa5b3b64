// Users, permissions and re-identification over real HTTP, on SQLite and PostgreSQL:
// an admin creates an analyst and a privacy officer with one-time passwords; the
// analyst is refused (403, audited); the officer is answered (audited, clear values
// nowhere in the audit log or the manager's log lines); bad input gets a clear 400.
import { Severity, type EventBatch } from '@wardwatch/proto';
import { CreatedUser, CurrentUser, PseudonymLookupResult, ReidentifyMatchResult, UserList } from '@wardwatch/shared';
import { pathToken, pseudonymToken } from '@wardwatch/shared/pseudonyms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventIngestService } from '../events/event-ingest.service';
import { PkiService } from '../pki/pki.service';
import { testEngines } from '../testing/test-engines.fixture';
import {
  TEST_ADMIN_PASSWORD,
  insertOfflineAgent,
  startTestManager,
  type TestManager,
} from '../testing/test-manager.fixture';
import { MAX_REQUESTS } from './reidentification.rate-limiter';

type AuditRow = { seq: number; actor: string; action: string; target: string; details: Record<string, unknown> };

describe.each(testEngines)('users and re-identification over HTTP on $name', ({ make, skip }) => {
  const db = make();
  let manager: TestManager;
  const cookies: Record<string, string> = {};
  const passwords: Record<string, string> = {};
  const call = (who: string | null, path: string, body?: unknown) =>
    fetch(`${manager.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(who ? { cookie: cookies[who] } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signIn = async (username: string) => {
    const response = await call(null, '/api/v1/auth/login', { username, password: passwords[username] });
    expect(response.status).toBe(200);
    cookies[username] = response.headers.get('set-cookie')!.split(';')[0];
    return CurrentUser.parse(await response.json());
  };
  const audit = async (limit = 20) =>
    ((await (await call('admin', `/api/v1/audit?limit=${limit}`)).json()) as { items: AuditRow[] }).items;
  const key = () => manager.app.get(PkiService).pseudonymKey;
  const justification = {
    reason: 'Alert 42: 300 discharge letters copied to USB at 02:10',
    caseReference: 'INC-2026-0042',
  };

  beforeAll(async () => {
    if (skip) return;
    // Local-key mode on purpose: tokens are made with the site key here (OPRF lookups: oprf-pseudonyms.e2e).
    manager = await startTestManager({ database: db.config, env: { WARDWATCH_PSEUDONYM_MODE: 'local-key' } });
    passwords.admin = TEST_ADMIN_PASSWORD;
    await signIn('admin');
    await insertOfflineAgent(manager, 'agent-1', 'ward3-ws12');
    const jones = pseudonymToken(key(), 'user', 'nurse.jones');
    const batch: EventBatch = {
      sequence: 1,
      dropped: {},
      events: [1, 2, 3].map((i) => ({
        id: `e-${i}`,
        timeMs: Date.now() - 60_000 + i, // inside the manager's 30-day window
        sequence: 0,
        severity: Severity.SEVERITY_LOW,
        user: jones,
        detail: {
          $case: 'file',
          value: {
            action: 'create',
            path: pathToken(key(), `/srv/records/ward3/letter-${i}.pdf`, {
              folderClass: 'phi',
              depth: 2,
              extension: '.pdf',
            }),
            previousPath: '',
            folderClass: 'phi',
            extension: '.pdf',
            depth: 2,
            sizeBytes: 10,
            entropy: -1,
            owner: jones,
            process: '',
            pid: 0,
          },
        },
      })),
    };
    await manager.app.get(EventIngestService).ingest('agent-1', 'ward3-ws12', batch);
  }, 60_000);
  afterAll(async () => {
    await manager?.stop();
    if (!skip) await db.dispose();
  });

  it.skipIf(skip)('lets an admin create users with a role and a one-time password, validated and audited', async () => {
    for (const [username, role] of [
      ['ana.lyst', 'analyst'],
      ['olivia.officer', 'privacy_officer'],
    ] as const) {
      const response = await call('admin', '/api/v1/users', { username, role });
      expect(response.status).toBe(201);
      const created = CreatedUser.parse(await response.json());
      expect(created.user).toMatchObject({ username, role, status: 'active', mustChangePassword: true });
      expect(created.oneTimePassword.length).toBeGreaterThanOrEqual(20);
      passwords[username] = created.oneTimePassword;
    }
    const bad = await call('admin', '/api/v1/users', { username: 'X Y', role: 'superuser' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/username[\s\S]*role|role[\s\S]*username/);
    expect((await call('admin', '/api/v1/users', { username: 'ana.lyst', role: 'analyst' })).status).toBe(400);
    const list = UserList.parse(await (await call('admin', '/api/v1/users')).json());
    expect(list.items.map((u) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['ana.lyst', 'analyst'],
      ['olivia.officer', 'privacy_officer'],
    ]);
    const created = (await audit()).filter((row) => row.action === 'user.create' && row.actor === 'admin');
    expect(created.map((row) => row.target).sort()).toEqual(['ana.lyst', 'olivia.officer']);
    expect(JSON.stringify(await audit())).not.toContain(passwords['ana.lyst']);
  });

  it.skipIf(skip)('allows nothing but the password change until the one-time password is replaced', async () => {
    for (const username of ['ana.lyst', 'olivia.officer']) {
      expect(await signIn(username)).toMatchObject({ username, mustChangePassword: true });
      const refused = await call(username, '/api/v1/events');
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'password_change_required' });
      expect(
        (await call(username, '/api/v1/auth/password', { currentPassword: passwords[username], newPassword: 'short' }))
          .status,
      ).toBe(400);
      expect(
        (
          await call(username, '/api/v1/auth/password', {
            currentPassword: 'wrong-password-x',
            newPassword: `${username}-own-passphrase`,
          })
        ).status,
      ).toBe(403);
      const changed = await call(username, '/api/v1/auth/password', {
        currentPassword: passwords[username],
        newPassword: `${username}-own-passphrase`,
      });
      expect(await changed.json()).toEqual({ username, role: username === 'ana.lyst' ? 'analyst' : 'privacy_officer' });
      passwords[username] = `${username}-own-passphrase`;
      expect((await call(username, '/api/v1/events')).status).toBe(200);
    }
  });

  it.skipIf(skip)(
    'guards by permission: an analyst reads events but may not manage users or re-identify, and each refusal is audited',
    async () => {
      expect((await call('ana.lyst', '/api/v1/users', { username: 'mallory', role: 'admin' })).status).toBe(403);
      const refused = await call('ana.lyst', '/api/v1/reidentification/match', {
        token: pseudonymToken(key(), 'user', 'nurse.jones'),
        candidates: ['nurse.jones'],
        ...justification,
      });
      expect(refused.status).toBe(403);
      expect(JSON.stringify(await refused.json())).not.toContain('nurse.jones');
      const denied = (await audit()).filter((row) => row.action === 'access.denied' && row.actor === 'ana.lyst');
      expect(denied.map((row) => [row.target, row.details.permission])).toEqual([
        ['POST /api/v1/reidentification/match', 'reidentify'],
        ['POST /api/v1/users', 'users:manage'],
      ]);
      // Re-identification is not an admin power either.
      expect(
        (
          await call('admin', '/api/v1/reidentification/lookup', {
            kind: 'user',
            value: 'nurse.jones',
            ...justification,
          })
        ).status,
      ).toBe(403);
    },
  );

  it.skipIf(skip)(
    'answers an officer which candidate a token belongs to, and audits who, why, which token — without the names',
    async () => {
      const token = pseudonymToken(key(), 'user', 'nurse.jones');
      const response = await call('olivia.officer', '/api/v1/reidentification/match', {
        token,
        candidates: ['dr.house', 'HOSPITAL\\Nurse.Jones', 'nurse.smith'],
        ...justification,
      });
      expect(response.status).toBe(200);
      const result = ReidentifyMatchResult.parse(await response.json());
      expect(result).toMatchObject({ token, kind: 'user', match: 'HOSPITAL\\Nurse.Jones', candidatesChecked: 3 });
      const none = ReidentifyMatchResult.parse(
        await (
          await call('olivia.officer', '/api/v1/reidentification/match', {
            token,
            candidates: ['dr.house'],
            ...justification,
          })
        ).json(),
      );
      expect(none.match).toBeNull();

      const path = pathToken(key(), '/srv/records/ward3/letter-2.pdf', {
        folderClass: 'phi',
        depth: 2,
        extension: '.pdf',
      });
      const byPath = ReidentifyMatchResult.parse(
        await (
          await call('olivia.officer', '/api/v1/reidentification/match', {
            token: path,
            candidates: ['/srv/records/ward3/letter-1.pdf', '/srv/records//ward3/letter-2.pdf'],
            ...justification,
          })
        ).json(),
      );
      expect(byPath).toMatchObject({ kind: 'path', match: '/srv/records//ward3/letter-2.pdf' });

      const rows = (await audit()).filter((row) => row.action === 'reidentification.match');
      const row = rows.find((r) => r.seq === result.auditSeq)!;
      expect(row).toMatchObject({
        actor: 'olivia.officer',
        target: token,
        details: {
          kind: 'user',
          reason: justification.reason,
          caseReference: 'INC-2026-0042',
          candidates: 3,
          matched: true,
        },
      });
      const everything = JSON.stringify(await audit(200)) + JSON.stringify(manager.logs);
      for (const clear of ['nurse.jones', 'Nurse.Jones', 'dr.house', 'nurse.smith', 'letter-2', '/srv/records'])
        expect(everything).not.toContain(clear);
    },
  );

  it.skipIf(skip)('gives an officer the token of a known person and how many events carry it', async () => {
    const result = PseudonymLookupResult.parse(
      await (
        await call('olivia.officer', '/api/v1/reidentification/lookup', {
          kind: 'user',
          value: 'Nurse.Jones@hospital.local',
          ...justification,
        })
      ).json(),
    );
    expect(result).toMatchObject({
      kind: 'user',
      token: pseudonymToken(key(), 'user', 'nurse.jones'),
      inClear: false,
      events: 3,
    });
    const events = (await (await call('olivia.officer', `/api/v1/events?user=${result.token}`)).json()) as {
      items: unknown[];
    };
    expect(events.items).toHaveLength(3);
    const path = PseudonymLookupResult.parse(
      await (
        await call('olivia.officer', '/api/v1/reidentification/lookup', {
          kind: 'path',
          value: '/srv/records/ward3/letter-1.pdf',
          ...justification,
        })
      ).json(),
    );
    expect(path.token).toMatch(/^p_\*_[0-9a-f]{16}$/);
    expect(
      pathToken(key(), '/srv/records/ward3/letter-1.pdf', { folderClass: 'phi', depth: 2, extension: '.pdf' }),
    ).toContain(path.token.slice(4));
    const root = PseudonymLookupResult.parse(
      await (
        await call('olivia.officer', '/api/v1/reidentification/lookup', {
          kind: 'user',
          value: 'root',
          ...justification,
        })
      ).json(),
    );
    expect(root).toMatchObject({ token: 'root', inClear: true, events: 0 });
    expect(
      PseudonymLookupResult.parse(
        await (
          await call('olivia.officer', '/api/v1/reidentification/lookup', {
            kind: 'host',
            value: '203.0.113.7',
            ...justification,
          })
        ).json(),
      ).token,
    ).toBe(pseudonymToken(key(), 'ip', '203.0.113.7'));
    const row = (await audit(10)).find((r) => r.seq === result.auditSeq)!;
    expect(row).toMatchObject({
      action: 'reidentification.lookup',
      actor: 'olivia.officer',
      target: result.token,
      details: { kind: 'user', events: 3 },
    });
    expect(JSON.stringify(row)).not.toMatch(/jones/i);
  });

  it.skipIf(skip)('refuses bad input with a 400 that names the fields, and audits the refusal', async () => {
    const token = pseudonymToken(key(), 'user', 'nurse.jones');
    const cases: [unknown, RegExp][] = [
      [{ token, candidates: ['x'] }, /reason[\s\S]*caseReference/],
      [{ token: 'nurse.jones', candidates: ['x'], ...justification }, /token: not a WardWatch pseudonym/],
      [{ token, candidates: [], ...justification }, /candidates/],
      [{ token, candidates: Array.from({ length: 51 }, (_, i) => `c${i}`), ...justification }, /candidates/],
      [
        { token, candidates: ['x'], ...justification, reason: 'because' },
        /reason: give a reason of at least 10 characters/,
      ],
      [['not', 'an', 'object'], /\(body\): /],
    ];
    for (const [body, message] of cases) {
      const response = await call('olivia.officer', '/api/v1/reidentification/match', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { message: string; code: string };
      expect(answer.code).toBe('invalid_input');
      expect(answer.message).toMatch(message);
    }
    const refusals = (await audit(50)).filter(
      (row) => row.action === 'reidentification.refused' && row.details.why === 'invalid_request',
    );
    expect(refusals).toHaveLength(cases.length);
    expect(refusals.map((r) => r.target)).toContain(token);
    expect(refusals.find((r) => r.target === '-' && (r.details.fields as string[]).includes('token'))).toBeDefined();
  });

  it.skipIf(skip)('rate-limits an officer, audits the refusals, and the audit chain still verifies', async () => {
    const token = pseudonymToken(key(), 'user', 'nurse.jones');
    const statuses: number[] = [];
    for (let i = 0; i < MAX_REQUESTS; i++)
      statuses.push(
        (await call('olivia.officer', '/api/v1/reidentification/match', { token, candidates: ['x'], ...justification }))
          .status,
      );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.slice(-1)).toEqual([429]);
    expect((await audit(5))[0]).toMatchObject({
      action: 'reidentification.refused',
      actor: 'olivia.officer',
      target: token,
      details: { why: 'rate_limited' },
    });
    expect(await (await call('admin', '/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it.skipIf(skip)(
    'lets the officer read the audit trail but not manage users, and documents the endpoints in OpenAPI',
    async () => {
      expect((await call('olivia.officer', '/api/v1/audit?limit=1')).status).toBe(200);
      expect((await call('olivia.officer', '/api/v1/users')).status).toBe(403);
      const doc = (await (await call(null, '/api/docs/openapi.json')).json()) as {
        paths: Record<string, unknown>;
        components: { schemas: Record<string, unknown> };
      };
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/reidentification/match',
          '/api/v1/reidentification/lookup',
          '/api/v1/users',
          '/api/v1/users/{id}/disable',
          '/api/v1/auth/password',
        ]),
      );
      expect(doc.components.schemas.ReidentifyMatchRequest).toMatchObject({
        type: 'object',
        required: expect.arrayContaining(['token', 'candidates', 'reason', 'caseReference']) as unknown,
      });
    },
  );

  it.skipIf(skip)(
    'disables a user: sessions end at once, sign-in is refused, the last admin cannot be disabled',
    async () => {
      const list = UserList.parse(await (await call('admin', '/api/v1/users')).json());
      const analyst = list.items.find((u) => u.username === 'ana.lyst')!;
      const admin = list.items.find((u) => u.username === 'admin')!;
      const disabled = await call('admin', `/api/v1/users/${analyst.id}/disable`, {});
      expect(await disabled.json()).toMatchObject({ username: 'ana.lyst', status: 'disabled' });
      expect((await call('ana.lyst', '/api/v1/events')).status).toBe(401);
      expect(
        (await call(null, '/api/v1/auth/login', { username: 'ana.lyst', password: passwords['ana.lyst'] })).status,
      ).toBe(403);
      expect((await call('admin', `/api/v1/users/${admin.id}/disable`, {})).status).toBe(400);
      expect((await call('admin', '/api/v1/users/nobody/disable', {})).status).toBe(404);
      expect((await audit(10)).find((r) => r.action === 'user.disable')).toMatchObject({
        actor: 'admin',
        target: 'ana.lyst',
        details: { sessionsEnded: 1 },
      });
    },
  );
});
