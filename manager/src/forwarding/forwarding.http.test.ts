// Forwarding destinations through the REST API on a whole manager (SQLite): admins only,
// validated, audited without the secret, never answering the secret back — and the manager's
// own job forwarding what happens next to a real webhook receiver, signed.
import { CreatedUser, DeadLetterList, DestinationList, DestinationView, TestDeliveryResult } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, jsonApi, startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { startWebhookReceiver, type WebhookReceiver } from './forward-receivers.fixture';

const SECRET = 'the-siem-shared-secret-0123456789abcdef';

describe('forwarding API', () => {
  let manager: TestManager;
  let receiver: WebhookReceiver;
  let admin = '';
  let analyst = '';
  const api = jsonApi(() => manager);
  const call = (method: string, path: string, body?: unknown, cookie = admin) => api.call(method, path, body, cookie);
  const login = api.login;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
    manager = await startTestManager({ env: { WARDWATCH_FORWARD_INTERVAL_SECONDS: '1' } });
    admin = await login('admin', TEST_ADMIN_PASSWORD);
    const created = CreatedUser.parse(
      await (await call('POST', '/api/v1/users', { username: 'ana.lyst', role: 'analyst' })).json(),
    );
    const first = await login('ana.lyst', created.oneTimePassword);
    const password = 'ana.lyst-passphrase-2026';
    await call(
      'POST',
      '/api/v1/auth/password',
      { currentPassword: created.oneTimePassword, newPassword: password },
      first,
    );
    analyst = await login('ana.lyst', password);
  });
  afterAll(async () => {
    await manager?.stop();
    await receiver?.close();
  });

  it('lets admins manage destinations, validated and audited, never showing the secret', async () => {
    const body = { name: 'soc', kinds: ['audit'], config: { type: 'webhook', url: receiver.url, secret: SECRET } };
    expect((await call('GET', '/api/v1/forwarding/destinations', undefined, '')).status).toBe(401);
    expect((await call('GET', '/api/v1/forwarding/destinations', undefined, analyst)).status).toBe(403);
    expect((await call('POST', '/api/v1/forwarding/destinations', body, analyst)).status).toBe(403);

    const bad = [
      { ...body, config: { ...body.config, secret: 'short' } },
      { ...body, config: { ...body.config, url: 'http://siem.example.org/hook' } },
      { ...body, kinds: ['everything'] },
      { ...body, config: { type: 'syslog', host: 'siem example', port: 6514 } },
      { ...body, extra: true },
    ];
    for (const request of bad)
      expect((await call('POST', '/api/v1/forwarding/destinations', request)).status, JSON.stringify(request)).toBe(
        400,
      );

    const created = await call('POST', '/api/v1/forwarding/destinations', body);
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toContain(SECRET);
    const view = DestinationView.parse(JSON.parse(text));
    expect(view).toMatchObject({
      name: 'soc',
      enabled: true,
      type: 'webhook',
      target: receiver.url,
      createdBy: 'admin',
    });

    // What happens next reaches the receiver through the manager's own job, signed. Its first run
    // (every second here) starts the tail at the log's head: history is not replayed, so wait for it.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await call('POST', '/api/v1/users', { username: 'it.tom', role: 'it_staff' })).status).toBe(201);
    const userCreated = () =>
      receiver.hits.find((h) => (h.body.api as { operation?: string } | undefined)?.operation === 'user.create');
    for (let i = 0; i < 100 && !userCreated(); i++) await new Promise((r) => setTimeout(r, 100));
    const hit = userCreated();
    expect(hit).toMatchObject({
      verified: true,
      status: 200,
      body: { class_uid: 6003, resources: [{ uid: 'it.tom' }] },
    });
    // The receiver answers before the job has recorded the delivery: read until it has.
    let metrics = '';
    for (let i = 0; i < 50 && !/outcome="delivered"\} [1-9]/.test(metrics); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      metrics = await (await fetch(`${manager.httpUrl}/metrics`)).text();
    }
    expect(metrics).toMatch(/^wardwatch_forward_records_total\{outcome="delivered"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^wardwatch_forward_records_total\{outcome="dead"\} 0$/m);

    expect((await call('POST', `/api/v1/forwarding/destinations/${view.id}/test`, {}, analyst)).status).toBe(403);
    const tested = await call('POST', `/api/v1/forwarding/destinations/${view.id}/test`, {});
    expect(tested.status).toBe(200);
    expect(TestDeliveryResult.parse(await tested.json())).toEqual({ delivered: true });
    expect(receiver.hits.some((h) => h.verified && h.eventId.startsWith('wardwatch-test-'))).toBe(true);

    const patched = await call('PATCH', `/api/v1/forwarding/destinations/${view.id}`, { enabled: false });
    expect(patched.status).toBe(200);
    expect(DestinationView.parse(await patched.json()).enabled).toBe(false);
    const listText = await (await call('GET', '/api/v1/forwarding/destinations')).text();
    expect(listText).not.toContain(SECRET);
    expect(DestinationList.parse(JSON.parse(listText))).toHaveLength(1);
    expect(
      DeadLetterList.parse(await (await call('GET', `/api/v1/forwarding/destinations/${view.id}/dead-letters`)).json()),
    ).toEqual([]);
    expect((await call('GET', '/api/v1/forwarding/destinations/nope/dead-letters')).status).toBe(404);
    expect((await call('PATCH', '/api/v1/forwarding/destinations/nope', { enabled: true })).status).toBe(404);
    expect((await call('DELETE', `/api/v1/forwarding/destinations/${view.id}`)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/forwarding/destinations/${view.id}`)).status).toBe(404);

    const auditText = await (await call('GET', '/api/v1/audit?limit=50')).text();
    expect(auditText).not.toContain(SECRET);
    const audit = JSON.parse(auditText) as { items: { actor: string; action: string; target: string }[] };
    expect(
      audit.items
        .filter((r) => r.action.startsWith('forwarding.'))
        .reverse()
        .map((r) => [r.actor, r.action, r.target]),
    ).toEqual([
      ['admin', 'forwarding.create', view.id],
      ['admin', 'forwarding.test', view.id],
      ['admin', 'forwarding.update', view.id],
      ['admin', 'forwarding.remove', view.id],
    ]);
  });
});
