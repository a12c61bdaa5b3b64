// Staff roles through the REST API on a whole manager (SQLite): admins only, tokens and
// roles validated, changes audited; and a playbook rule with `userRolesAnyOf` acting on
// the pharmacist's alert only — not the nurse's, not a user with no role on record.
import { Severity } from '@wardwatch/proto';
import { CreatedUser, PlaybookView, StaffRolePage, StaffRoleView } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoreIngestService } from '../alerts/score-ingest.service';
import { PlaybookDecisionService } from '../playbooks/playbook-decision.service';
import {
  TEST_ADMIN_PASSWORD,
  insertOfflineAgent,
  jsonApi,
  startTestManager,
  type TestManager,
} from '../testing/test-manager.fixture';

const PHARMACIST = 'u_00000000000000aa';
const NURSE = 'u_00000000000000bb';
const UNKNOWN = 'u_00000000000000cc';

describe('staff roles API', () => {
  let manager: TestManager;
  let admin = '';
  let analyst = '';
  const api = jsonApi(() => manager);
  const call = (method: string, path: string, body?: unknown, cookie = admin) => api.call(method, path, body, cookie);
  const login = api.login;

  beforeAll(async () => {
    manager = await startTestManager();
    await insertOfflineAgent(manager, 'agent-1', 'pharmacy-ws1');
    admin = await login('admin', TEST_ADMIN_PASSWORD);
    const created = CreatedUser.parse(
      await (await call('POST', '/api/v1/users', { username: 'ana.lyst', role: 'analyst' })).json(),
    );
    // A password of their own: the 403s below are for the role, not the one-time password.
    const first = await login('ana.lyst', created.oneTimePassword);
    const password = 'ana.lyst-passphrase-2026';
    await call(
      'POST',
      '/api/v1/auth/password',
      { currentPassword: created.oneTimePassword, newPassword: password },
      first,
    );
    analyst = await login('ana.lyst', password);
    expect((await call('GET', '/api/v1/agents', undefined, analyst)).status).toBe(200);
  });
  afterAll(async () => manager?.stop());

  it('lets admins set, list and remove roles, validated and audited; nobody else', async () => {
    expect((await call('GET', '/api/v1/staff-roles', undefined, '')).status).toBe(401);
    expect((await call('GET', '/api/v1/staff-roles', undefined, analyst)).status).toBe(403);
    expect((await call('PUT', `/api/v1/staff-roles/${NURSE}`, { role: 'nurse' }, analyst)).status).toBe(403);

    const set = await call('PUT', `/api/v1/staff-roles/${NURSE}`, { role: 'nurse' });
    expect(set.status).toBe(200);
    expect(StaffRoleView.parse(await set.json())).toMatchObject({
      userToken: NURSE,
      role: 'nurse',
      updatedBy: 'admin',
    });
    expect((await call('PUT', `/api/v1/staff-roles/${PHARMACIST}`, { role: 'pharmacist' })).status).toBe(200);
    expect((await call('PUT', `/api/v1/staff-roles/${UNKNOWN}`, { role: 'it_staff' })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/staff-roles/${UNKNOWN}`)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/staff-roles/${UNKNOWN}`)).status).toBe(404);

    expect((await call('PUT', '/api/v1/staff-roles/nurse.jones', { role: 'nurse' })).status).toBe(400);
    expect((await call('PUT', `/api/v1/staff-roles/${NURSE}`, { role: 'surgeon' })).status).toBe(400);
    expect((await call('PUT', `/api/v1/staff-roles/${NURSE}`, { role: 'nurse', name: 'x' })).status).toBe(400);
    expect((await call('GET', '/api/v1/staff-roles?cursor=bad')).status).toBe(400);

    const first = StaffRolePage.parse(await (await call('GET', '/api/v1/staff-roles?limit=1')).json());
    const second = StaffRolePage.parse(
      await (await call('GET', `/api/v1/staff-roles?limit=1&cursor=${first.nextCursor}`)).json(),
    );
    expect([...first.items, ...second.items].map((r) => [r.userToken, r.role])).toEqual([
      [PHARMACIST, 'pharmacist'],
      [NURSE, 'nurse'],
    ]);
    expect(second.nextCursor).toBeUndefined();

    const audit = (await (await call('GET', '/api/v1/audit?limit=50')).json()) as {
      items: { actor: string; action: string; target: string; details: unknown }[];
    };
    const changes = audit.items.filter((r) => r.action.startsWith('staff_role.')).reverse();
    expect(changes.map((r) => [r.actor, r.action, r.target, r.details])).toEqual([
      ['admin', 'staff_role.set', NURSE, { before: null, after: 'nurse' }],
      ['admin', 'staff_role.set', PHARMACIST, { before: null, after: 'pharmacist' }],
      ['admin', 'staff_role.set', UNKNOWN, { before: null, after: 'it_staff' }],
      ['admin', 'staff_role.remove', UNKNOWN, { before: 'it_staff' }],
    ]);
  });

  it('acts on a userRolesAnyOf rule only for alerts of users with that role on record', async () => {
    const rule = { userRolesAnyOf: ['pharmacist'], minScore: 70 };
    expect(
      (
        await call('POST', '/api/v1/playbooks', {
          name: 'bad',
          enabled: true,
          rules: [{ name: 'r', when: { userRolesAnyOf: ['surgeon'] }, then: [{ kind: 'notify', mode: 'notify' }] }],
        })
      ).status,
    ).toBe(400);
    const created = await call('POST', '/api/v1/playbooks', {
      name: 'Pharmacy staff: diagnostics first',
      enabled: true,
      rules: [{ name: 'pharmacists', when: rule, then: [{ kind: 'collect_diagnostics', mode: 'approve' }] }],
    });
    expect(created.status).toBe(201);
    const playbook = PlaybookView.parse(await created.json());
    expect(playbook.rules[0].when).toEqual(rule);

    const now = Date.now();
    await manager.app.get(ScoreIngestService).ingest('agent-1', {
      sequence: 1,
      scores: [PHARMACIST, NURSE, UNKNOWN].map((user, i) => ({
        id: `score-${i}`,
        windowStartMs: now - 60_000,
        windowEndMs: now,
        user,
        score: 80,
        threshold: 60,
        severity: Severity.SEVERITY_HIGH,
        modelSource: 'own',
        baselineSource: 'user',
        reasons: [{ text: 'Unusual volume of records read', source: 'baseline', feature: 'files_read', ruleId: '' }],
        ruleIds: [],
        scoredAtMs: now,
        partial: false,
        suspects: [],
      })),
    });
    await manager.app.get(PlaybookDecisionService).settled();
    const audit = (await (await call('GET', '/api/v1/audit?limit=100')).json()) as {
      items: { action: string; details: { playbookId?: string; alertId?: string } }[];
    };
    const ours = audit.items.filter((r) => r.action === 'playbook.decision' && r.details.playbookId === playbook.id);
    expect(ours).toHaveLength(1);
    const alert = (await (await call('GET', '/api/v1/alerts')).json()) as { items: { id: string; user: string }[] };
    expect(alert.items.find((a) => a.id === ours[0].details.alertId)?.user).toBe(PHARMACIST);
  });
});
