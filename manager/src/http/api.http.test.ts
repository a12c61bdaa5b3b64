// The REST API over real HTTP: a whole manager on 127.0.0.1:0 with its SQLite database.
// Each test signs in afresh and uses its own agents and events, so the tests do not
// depend on one another's order.
import { Severity, type EventBatch } from '@wardwatch/proto';
import { AgentPage, CurrentUser, EventPage, EventView, Health } from '@wardwatch/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventIngestService } from '../events/event-ingest.service';
import { ScoreIngestService } from '../alerts/score-ingest.service';
import {
  TEST_ADMIN_PASSWORD,
  insertOfflineAgent,
  startTestManager,
  type TestManager,
} from '../testing/test-manager.fixture';
import type { ReadableStream } from 'node:stream/web';

describe('REST API v1', () => {
  let manager: TestManager;
  let cookie = '';
  const call = (path: string, init: RequestInit = {}, withCookie = true) =>
    fetch(`${manager.httpUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(withCookie && cookie ? { cookie } : {}), ...init.headers },
    });
  const login = (username: string, password: string) =>
    call('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) }, false);
  const batch = (
    sequence: number,
    ids: string[],
    baseMs: number,
    severity: Severity = Severity.SEVERITY_INFO,
  ): EventBatch => ({
    sequence,
    dropped: {},
    events: ids.map((id, i) => ({
      id,
      timeMs: baseMs + i,
      sequence: 0,
      severity,
      user: 'u_0000000000000001',
      detail: {
        $case: 'login',
        value: {
          action: i % 2 ? 'logon' : 'failed_logon',
          method: 'password',
          service: 'sshd',
          tty: '<script>x</script>',
          sourceHost: '',
          sourceIp: '',
          sourcePort: 0,
          targetUser: '',
          raw: '',
        },
      },
    })),
  });

  const addAgent = (id: string) => insertOfflineAgent(manager, id, 'ward3-ws12');

  beforeAll(async () => {
    manager = await startTestManager();
    await addAgent('agent-1');
  });
  beforeEach(async () => {
    cookie = (await login('admin', TEST_ADMIN_PASSWORD)).headers.get('set-cookie')!.split(';')[0];
  });
  afterAll(async () => manager?.stop());

  it('answers health without a session', async () => {
    const response = await call('/api/v1/health', {}, false);
    expect(Health.parse(await response.json())).toMatchObject({ status: 'ok', database: 'sqlite' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('requires a session for the API', async () => {
    expect((await call('/api/v1/agents', {}, false)).status).toBe(401);
    expect((await call('/api/v1/auth/me', {}, false)).status).toBe(401);
    expect((await call('/api/v1/events/stream', {}, false)).status).toBe(401);
  });

  it('refuses a wrong password, validates the body, and rate-limits repeated failures', async () => {
    expect((await login('admin', 'wrong-password')).status).toBe(401);
    expect(
      (await call('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: '' }) }, false)).status,
    ).toBe(400);
    // Three free failures, a fourth blocks the name for 1 s, a fifth (after it) for 2 s.
    for (let i = 0; i < 4; i++) expect((await login('nurse', 'guess')).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await login('nurse', 'guess')).status).toBe(401);
    const refused = await login('nurse', 'guess');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[12]$/);
  }, 60_000); // six scrypt hashes at N=2^17

  it('signs in with an httpOnly SameSite=Strict cookie, knows who is signed in, signs out', async () => {
    const response = await login('admin', TEST_ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^ww_session=wws_[\w-]+;/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    cookie = setCookie.split(';')[0];
    expect(CurrentUser.parse(await (await call('/api/v1/auth/me')).json())).toEqual({
      username: 'admin',
      role: 'admin',
    });

    expect((await call('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await call('/api/v1/auth/me')).status).toBe(401);
  });

  it('lists agents', async () => {
    const page = AgentPage.parse(await (await call('/api/v1/agents')).json());
    expect(page.items.find((a) => a.id === 'agent-1')).toMatchObject({ hostname: 'ward3-ws12', status: 'offline' });
    expect((await call('/api/v1/agents/nope')).status).toBe(404);
  });

  it('filters events and pages through them with the cursor', async () => {
    const ingest = manager.app.get(EventIngestService);
    const ids = Array.from({ length: 25 }, (_, i) => `e-${String(i).padStart(3, '0')}`);
    // Recent times: the manager refuses events older than its 30-day window.
    const base = Date.now() - 60_000;
    await ingest.ingest('agent-paging', 'ward3-ws13', batch(1, ids, base));
    const seen: EventView[] = [];
    let cursor: string | undefined;
    do {
      const response = await call(`/api/v1/events?agentId=agent-paging&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      const page = EventPage.parse(await response.json());
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((e) => e.id)).toEqual([...ids].reverse());
    const failed = EventPage.parse(
      await (await call('/api/v1/events?agentId=agent-paging&category=login&action=failed_logon')).json(),
    );
    expect(failed.items).toHaveLength(13);
    const window = EventPage.parse(
      await (await call(`/api/v1/events?agentId=agent-paging&fromMs=${base + 5}&toMs=${base + 9}`)).json(),
    );
    expect(window.items.map((e) => e.id)).toEqual(['e-009', 'e-008', 'e-007', 'e-006', 'e-005']);
    expect((await call('/api/v1/events?limit=9999')).status).toBe(400);
  });

  it.each(['/api/v1/events', '/api/v1/alerts', '/api/v1/scores'])('refuses a malformed cursor on %s', async (path) => {
    const cursor = Buffer.from('["not", "a", "key"]').toString('base64url');
    for (const bad of ['garbage', cursor, '!!']) {
      const response = await call(`${path}?cursor=${bad}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'invalid_cursor' });
    }
  });

  it('lists alerts the manager raised from scores, and none from an event an agent rated critical', async () => {
    await manager.app
      .get(EventIngestService)
      .ingest('agent-alerting', 'ward3-ws14', batch(2, ['hi-1'], Date.now(), Severity.SEVERITY_CRITICAL));
    await manager.app.get(ScoreIngestService).ingest('agent-scoring', {
      sequence: 1,
      scores: [
        {
          id: 'score-1',
          windowStartMs: Date.now() - 60_000,
          windowEndMs: Date.now(),
          user: 'u_00112233aabbccdd',
          score: 85,
          threshold: 99,
          severity: Severity.SEVERITY_LOW,
          modelSource: 'own',
          baselineSource: 'user',
          reasons: [{ text: 'many logons', source: 'baseline', feature: 'logons', ruleId: '' }],
          ruleIds: [],
          scoredAtMs: Date.now(),
          partial: false,
          suspects: [],
        },
      ],
    });
    const body = (await (await call('/api/v1/alerts')).json()) as {
      items: { agentId: string; severity: string; score: number; threshold?: number }[];
    };
    expect(body.items.find((a) => a.agentId === 'agent-alerting')).toBeUndefined();
    expect(body.items.find((a) => a.agentId === 'agent-scoring')).toMatchObject({
      severity: 'high',
      score: 85,
      threshold: 60,
    });
  });

  it('delivers a stored event over Server-Sent Events', async () => {
    const controller = new AbortController();
    const response = await call('/api/v1/events/stream', {
      signal: controller.signal,
      headers: { accept: 'text/event-stream' },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const received = (async () => {
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${text}`);
        text += Buffer.from(value).toString();
        const match = /^event: event\n(?:id: .*\n)?data: (.+)\n/m.exec(text);
        if (match) return EventView.parse(JSON.parse(match[1]));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await manager.app.get(EventIngestService).ingest('agent-1', 'ward3-ws12', batch(3, ['live-1'], Date.now()));
    const event = await received;
    controller.abort();
    expect(event).toMatchObject({
      id: 'live-1',
      agentId: 'agent-1',
      hostname: 'ward3-ws12',
      category: 'login',
      detail: { tty: '<script>x</script>' },
    });
  });

  it('creates enrollment tokens for admins, audited; the audit chain verifies', async () => {
    const response = await call('/api/v1/enrollment-tokens', {
      method: 'POST',
      body: JSON.stringify({ ttlMinutes: 5 }),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { token: string }).token).toMatch(/^wwet_/);
    const audit = (await (await call('/api/v1/audit?limit=5')).json()) as { items: { action: string }[] };
    expect(audit.items[0].action).toBe('enrollment_token.create');
    expect(await (await call('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('revokes an agent (admin), audited', async () => {
    await addAgent('agent-revoked');
    const response = await call('/api/v1/agents/agent-revoked/revoke', { method: 'POST' });
    expect(await response.json()).toMatchObject({ id: 'agent-revoked', status: 'revoked' });
    const audit = (await (await call('/api/v1/audit?limit=1')).json()) as {
      items: { action: string; target: string }[];
    };
    expect(audit.items[0]).toMatchObject({ action: 'agent.revoke', target: 'agent-revoked' });
  });

  it('serves the OpenAPI document built from the shared schemas', async () => {
    const doc = (await (await call('/api/docs/openapi.json')).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/events', '/api/v1/agents', '/api/v1/auth/login', '/api/v1/health']),
    );
    expect(doc.components.schemas.EventView).toMatchObject({ type: 'object' });
    const ui = await call('/api/docs', {}, false);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});
