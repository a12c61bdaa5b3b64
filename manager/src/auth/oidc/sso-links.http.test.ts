// Linking an existing account to a provider identity (issuer + sub) and unlinking it, over
// real HTTP on SQLite and PostgreSQL: audited, one account per identity, admins only.
import { CreatedUser, SsoIdentityList } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/test-engines.fixture';
import { TEST_ADMIN_PASSWORD, startTestManager, type TestManager } from '../../testing/test-manager.fixture';

type AuditRow = { actor: string; action: string; target: string; details: Record<string, unknown> };

describe.each(testEngines)('SSO identity links over HTTP on $name', ({ make, skip }) => {
  const db = make();
  let manager: TestManager;
  const cookies: Record<string, string> = {};
  const call = (who: string, path: string, body?: unknown) =>
    fetch(`${manager.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies[who] ?? '' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signIn = async (username: string, password: string) => {
    const response = await call('-', '/api/v1/auth/login', { username, password });
    expect(response.status).toBe(200);
    cookies[username] = response.headers.get('set-cookie')!.split(';')[0];
  };
  const audit = async () =>
    ((await (await call('admin', '/api/v1/audit?limit=50')).json()) as { items: AuditRow[] }).items;
  const identity = { issuer: 'https://idp.hospital.example/realms/staff', subject: '4f1c9e2a-77' };
  const userIds: Record<string, string> = {};

  beforeAll(async () => {
    if (skip) return;
    manager = await startTestManager({ database: db.config });
    await signIn('admin', TEST_ADMIN_PASSWORD);
    for (const username of ['nurse.jones', 'ana.lyst']) {
      const created = CreatedUser.parse(
        await (await call('admin', '/api/v1/users', { username, role: 'analyst' })).json(),
      );
      userIds[username] = created.user.id;
    }
  }, 60_000);
  afterAll(async () => {
    await manager?.stop();
    if (!skip) await db.dispose();
  });

  it.skipIf(skip)('links an identity to one account, audited, and refuses a second link of it', async () => {
    const linked = await call('admin', `/api/v1/users/${userIds['nurse.jones']}/sso`, identity);
    expect(linked.status).toBe(201);
    expect(await linked.json()).toMatchObject({ ...identity, lastSignInAt: null });
    const list = SsoIdentityList.parse(
      await (await call('admin', `/api/v1/users/${userIds['nurse.jones']}/sso`)).json(),
    );
    expect(list.items.map((i) => [i.issuer, i.subject])).toEqual([[identity.issuer, identity.subject]]);
    expect((await audit()).find((r) => r.action === 'user.sso_link')).toMatchObject({
      actor: 'admin',
      target: 'nurse.jones',
      details: identity,
    });

    const again = await call('admin', `/api/v1/users/${userIds['ana.lyst']}/sso`, identity);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'conflict' });
    expect((await call('admin', `/api/v1/users/no-such-user/sso`, identity)).status).toBe(404);
    const bad = await call('admin', `/api/v1/users/${userIds['ana.lyst']}/sso`, { issuer: 'ftp://x', subject: 'a b' });
    expect(bad.status).toBe(400);
  });

  it.skipIf(skip)('unlinks, audited; a link that is not there is a 404', async () => {
    const path = `/api/v1/users/${userIds['nurse.jones']}/sso/unlink`;
    expect((await call('admin', `/api/v1/users/${userIds['ana.lyst']}/sso/unlink`, identity)).status).toBe(404);
    expect((await call('admin', path, identity)).status).toBe(204);
    expect((await audit()).find((r) => r.action === 'user.sso_unlink')).toMatchObject({
      target: 'nurse.jones',
      details: identity,
    });
    expect((await call('admin', path, identity)).status).toBe(404);
    const list = SsoIdentityList.parse(
      await (await call('admin', `/api/v1/users/${userIds['nurse.jones']}/sso`)).json(),
    );
    expect(list.items).toEqual([]);
    // Now free for another account.
    expect((await call('admin', `/api/v1/users/${userIds['ana.lyst']}/sso`, identity)).status).toBe(201);
  });
});
