// The second-person rule over real HTTP, on SQLite and PostgreSQL, with the
// single-person-site setting off (the default): a privileged role grant and a
// re-identification wait for a second person; the requester, the account concerned,
// a second use, an expired request and a spent answer window are each refused and
// audited; no clear value of a re-identification is stored or audited.
import { CreatedUser, DutyRequestList, DutyRequestView, UserList, type UserRole } from '@wardwatch/shared';
import { pseudonymToken } from '@wardwatch/shared/pseudonyms';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../auth/password.hasher';
import { UserRepository } from '../auth/user.repository';
import { PkiService } from '../pki/pki.service';
import { testEngines } from '../testing/test-engines.fixture';
import { TEST_ADMIN_PASSWORD, startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { DutyRequestEntity } from './duty-request.entity';

type AuditRow = { seq: number; actor: string; action: string; target: string; details: Record<string, unknown> };

describe.each(testEngines)('separation of duties over HTTP on $name', ({ make, skip }) => {
  const db = make();
  let manager: TestManager;
  const cookies: Record<string, string> = {};
  const call = (who: string | null, path: string, body?: unknown) =>
    fetch(`${manager.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(who ? { cookie: cookies[who] } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signIn = async (username: string, password: string) =>
    call(null, '/api/v1/auth/login', { username, password }).then((response) => {
      if (response.status === 200) cookies[username] = response.headers.get('set-cookie')!.split(';')[0];
      return response.status;
    });
  /** An account that already exists (a second admin, officers), signed in. */
  const existing = async (username: string, role: UserRole) => {
    const password = `${username}-passphrase-1`;
    await manager.app.get(UserRepository).insert({
      id: `id-${username}`,
      username,
      role,
      passwordHash: await manager.app.get(PasswordHasher).hash(password),
      createdAt: Date.now(),
      disabledAt: null,
      mustChangePassword: false,
    });
    expect(await signIn(username, password)).toBe(200);
  };
  const audit = async () =>
    ((await (await call('admin', '/api/v1/audit?limit=200')).json()) as { items: AuditRow[] }).items;
  const lastOf = async (action: string) => (await audit()).find((row) => row.action === action);
  const users = async () => UserList.parse(await (await call('admin', '/api/v1/users')).json()).items;
  const pastDue = (id: string, changes: Partial<DutyRequestEntity>) =>
    manager.app.get(DataSource).getRepository(DutyRequestEntity).update({ id }, changes);
  const justification = { reason: 'Alert 42: 300 letters copied to USB at 02:10', caseReference: 'INC-2026-0042' };

  beforeAll(async () => {
    if (skip) return;
    // Local-key mode on purpose: the lookup's expected token is computed with the site key below.
    manager = await startTestManager({
      database: db.config,
      env: { WARDWATCH_SINGLE_PERSON_SITE: '', WARDWATCH_PSEUDONYM_MODE: 'local-key' },
    });
    expect(await signIn('admin', TEST_ADMIN_PASSWORD)).toBe(200);
    await existing('bob.admin', 'admin');
    await existing('olivia.officer', 'privacy_officer');
    await existing('pete.officer', 'privacy_officer');
  }, 60_000);
  afterAll(async () => {
    await manager?.stop();
    if (!skip) await db.dispose();
  });

  it.skipIf(skip)('creates a privacy officer disabled until a second admin approves', async () => {
    const response = await call('admin', '/api/v1/users', {
      username: 'carol.dpo',
      role: 'privacy_officer',
      reason: 'new data protection officer',
    });
    expect(response.status).toBe(201);
    const created = CreatedUser.parse(await response.json());
    expect(created.user).toMatchObject({ role: 'privacy_officer', status: 'disabled' });
    const grantId = created.pendingGrantId!;
    expect(grantId).toBeTruthy();
    expect(await signIn('carol.dpo', created.oneTimePassword)).not.toBe(200);

    const own = await call('admin', `/api/v1/users/grants/${grantId}/approve`, {});
    expect(own.status).toBe(403);
    expect(await own.json()).toMatchObject({ code: 'second_person_required' });
    expect(await lastOf('duty.refused')).toMatchObject({
      actor: 'admin',
      details: { id: grantId, why: 'second_person_required' },
    });
    expect((await users()).find((u) => u.username === 'carol.dpo')?.status).toBe('disabled');

    const pending = DutyRequestList.parse(await (await call('bob.admin', '/api/v1/users/grants?state=pending')).json());
    expect(pending.items.map((item) => item.id)).toContain(grantId);

    const approved = await call('bob.admin', `/api/v1/users/grants/${grantId}/approve`, {});
    expect(approved.status).toBe(200);
    expect(DutyRequestView.parse(await approved.json())).toMatchObject({ state: 'approved', decidedBy: 'bob.admin' });
    expect((await users()).find((u) => u.username === 'carol.dpo')?.status).toBe('active');
    expect(await lastOf('user.enable')).toMatchObject({
      actor: 'bob.admin',
      target: 'carol.dpo',
      details: { grantId, requestedBy: 'admin', approvedBy: 'bob.admin' },
    });
    expect(await signIn('carol.dpo', created.oneTimePassword)).toBe(200);

    const again = await call('bob.admin', `/api/v1/users/grants/${grantId}/approve`, {});
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'not_pending' });
  });

  it.skipIf(skip)('changes a role to admin only after a second admin, never the account concerned', async () => {
    const dave = CreatedUser.parse(
      await (await call('admin', '/api/v1/users', { username: 'dave.analyst', role: 'analyst' })).json(),
    );
    expect(dave.user.status).toBe('active');
    expect(dave.pendingGrantId).toBeUndefined();
    const asked = await call('admin', `/api/v1/users/${dave.user.id}/role`, { role: 'admin' });
    expect(asked.status).toBe(202);
    const grant = DutyRequestView.parse(await asked.json());
    expect(grant.details).toMatchObject({ kind: 'role_grant', from: 'analyst', to: 'admin', username: 'dave.analyst' });
    expect((await users()).find((u) => u.username === 'dave.analyst')?.role).toBe('analyst');

    // The account concerned may not approve its own grant (bob.admin → privacy officer, asked by admin).
    const toOfficer = DutyRequestView.parse(
      await (await call('admin', '/api/v1/users/id-bob.admin/role', { role: 'privacy_officer' })).json(),
    );
    const self = await call('bob.admin', `/api/v1/users/grants/${toOfficer.id}/deny`, {});
    expect(self.status).toBe(403);
    expect(await self.json()).toMatchObject({ code: 'second_person_required' });

    expect((await call('bob.admin', `/api/v1/users/grants/${grant.id}/approve`, {})).status).toBe(200);
    expect((await users()).find((u) => u.username === 'dave.analyst')?.role).toBe('admin');
    expect(await lastOf('user.role_change')).toMatchObject({
      actor: 'bob.admin',
      details: { from: 'analyst', to: 'admin', requestedBy: 'admin', approvedBy: 'bob.admin' },
    });
    expect((await users()).find((u) => u.username === 'bob.admin')?.role).toBe('admin');
  });

  it.skipIf(skip)('refuses and audits an expired grant; a denial is audited too', async () => {
    const erin = CreatedUser.parse(
      await (await call('bob.admin', '/api/v1/users', { username: 'erin.admin', role: 'admin' })).json(),
    );
    await pastDue(erin.pendingGrantId!, { expiresAt: Date.now() - 1 });
    const late = await call('admin', `/api/v1/users/grants/${erin.pendingGrantId}/approve`, {});
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'expired' });
    expect(await lastOf('duty.expired')).toMatchObject({ actor: 'system', details: { id: erin.pendingGrantId } });
    const list = DutyRequestList.parse(await (await call('admin', '/api/v1/users/grants?state=expired')).json());
    expect(list.items.map((item) => item.id)).toEqual([erin.pendingGrantId]);
    expect((await users()).find((u) => u.username === 'erin.admin')?.status).toBe('disabled');

    const frank = CreatedUser.parse(
      await (await call('bob.admin', '/api/v1/users', { username: 'frank.admin', role: 'admin' })).json(),
    );
    const denied = await call('admin', `/api/v1/users/grants/${frank.pendingGrantId}/deny`, { reason: 'no such post' });
    expect(denied.status).toBe(200);
    expect(await denied.json()).toMatchObject({ state: 'denied', decidedBy: 'admin' });
    expect(await lastOf('duty.denied')).toMatchObject({ actor: 'admin', details: { reason: 'no such post' } });
    expect((await call('bob.admin', `/api/v1/users/grants/${frank.pendingGrantId}/approve`, {})).status).toBe(409);
  });

  it.skipIf(skip)('answers a re-identification once, to its asker, after a second officer approves', async () => {
    const key = manager.app.get(PkiService).pseudonymKey;
    const token = pseudonymToken(key, 'user', 'nurse.jones');
    const question = { token, candidates: ['dr.smith', 'nurse.jones'], ...justification };

    const alone = await call('olivia.officer', '/api/v1/reidentification/match', question);
    expect(alone.status).toBe(403);
    expect(await alone.json()).toMatchObject({ code: 'approval_required' });
    expect(await lastOf('reidentification.refused')).toMatchObject({ details: { why: 'approval_required' } });

    const asked = await call('olivia.officer', '/api/v1/reidentification/requests', { question: 'match', ...question });
    expect(asked.status).toBe(201);
    const request = DutyRequestView.parse(await asked.json());
    expect(request.details).toMatchObject({ question: 'match', token, candidates: 2, caseReference: 'INC-2026-0042' });

    expect((await call('olivia.officer', `/api/v1/reidentification/requests/${request.id}/approve`, {})).status).toBe(
      403,
    );
    // An admin holds no `reidentify`: account management and unmasking stay apart.
    expect((await call('admin', `/api/v1/reidentification/requests/${request.id}/approve`, {})).status).toBe(403);
    const approved = await call('pete.officer', `/api/v1/reidentification/requests/${request.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect((await approved.json()) as DutyRequestView).toMatchObject({ state: 'approved', decidedBy: 'pete.officer' });

    const withApproval = { ...question, approvalId: request.id };
    const other = await call('pete.officer', '/api/v1/reidentification/match', withApproval);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: 'approval_required' });
    const changed = await call('olivia.officer', '/api/v1/reidentification/match', {
      ...withApproval,
      candidates: ['nurse.jones'],
    });
    expect(changed.status).toBe(403);
    expect(await changed.json()).toMatchObject({ code: 'does_not_match' });

    const answered = await call('olivia.officer', '/api/v1/reidentification/match', withApproval);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ match: 'nurse.jones' });
    expect(await lastOf('reidentification.match')).toMatchObject({
      actor: 'olivia.officer',
      details: { approvalId: request.id, approvedBy: 'pete.officer', matched: true },
    });
    const twice = await call('olivia.officer', '/api/v1/reidentification/match', withApproval);
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ code: 'not_usable' });

    const stored = await manager.app.get(DataSource).getRepository(DutyRequestEntity).find();
    expect(JSON.stringify(stored)).not.toMatch(/nurse\.jones|dr\.smith/);
    expect(JSON.stringify(await audit())).not.toMatch(/nurse\.jones|dr\.smith/);
  });

  it.skipIf(skip)('refuses an approved lookup once its answer window has passed', async () => {
    const question = { kind: 'user', value: 'nurse.jones', ...justification } as const;
    const request = DutyRequestView.parse(
      await (
        await call('olivia.officer', '/api/v1/reidentification/requests', { question: 'lookup', ...question })
      ).json(),
    );
    expect(request.details).toMatchObject({ question: 'lookup', token: null });
    expect((await call('pete.officer', `/api/v1/reidentification/requests/${request.id}/approve`, {})).status).toBe(
      200,
    );
    await pastDue(request.id, { usableUntil: Date.now() - 1 });
    const late = await call('olivia.officer', '/api/v1/reidentification/lookup', {
      ...question,
      approvalId: request.id,
    });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'not_usable' });
    expect(await lastOf('duty.refused')).toMatchObject({
      actor: 'olivia.officer',
      details: { step: 'use', why: 'not_usable' },
    });
  });
});
