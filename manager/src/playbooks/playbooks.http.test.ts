// Playbooks and workstation labels through the REST API on a whole manager (SQLite):
// the defaults seeded on first start, validation errors with their paths, versions,
// permissions, and a decision audited for an alert raised from a score.
import { Severity } from '@wardwatch/proto';
import { AgentPage, PlaybookList, PlaybookView } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoreIngestService } from '../alerts/score-ingest.service';
import {
  TEST_ADMIN_PASSWORD,
  insertOfflineAgent,
  startTestManager,
  type TestManager,
} from '../testing/test-manager.fixture';
import { DEFAULT_PLAYBOOKS } from './default-playbooks';
import { PlaybookDecisionService } from './playbook-decision.service';

describe('playbooks API', () => {
  let manager: TestManager;
  let cookie = '';
  const call = (path: string, init: RequestInit = {}, withCookie = true) =>
    fetch(`${manager.httpUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(withCookie && cookie ? { cookie } : {}), ...init.headers },
    });
  const send = (method: string, path: string, body: unknown) => call(path, { method, body: JSON.stringify(body) });

  beforeAll(async () => {
    manager = await startTestManager();
    await insertOfflineAgent(manager, 'agent-1', 'ward3-ws12');
    const login = await call(
      '/api/v1/auth/login',
      { method: 'POST', body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) },
      false,
    );
    cookie = login.headers.get('set-cookie')!.split(';')[0];
  });
  afterAll(async () => manager?.stop());

  it('needs a session', async () => {
    expect((await call('/api/v1/playbooks', {}, false)).status).toBe(401);
    expect((await call('/api/v1/playbooks', { method: 'POST', body: '{}' }, false)).status).toBe(401);
    expect((await call('/api/v1/agents/agent-1', { method: 'PATCH', body: '{"unit":"x"}' }, false)).status).toBe(401);
  });

  it('lists the default playbooks seeded on the first start', async () => {
    const list = PlaybookList.parse(await (await call('/api/v1/playbooks')).json());
    expect(list.items.map((p) => [p.id, p.version, p.createdBy])).toEqual(
      DEFAULT_PLAYBOOKS.map((d) => [d.id, 1, 'system']).sort(),
    );
    const ransomware = list.items.find((p) => p.id === 'default-ransomware-burst')!;
    expect(ransomware.rules[0].then.map((a) => [a.kind, a.mode])).toEqual([
      ['kill_process_tree', 'automatic'],
      ['block_removable', 'automatic'],
    ]);
  });

  it('answers a bad playbook with 400 and each problem by path', async () => {
    const response = await send('POST', '/api/v1/playbooks', {
      name: 'bad',
      enabled: true,
      rules: [
        {
          name: 'r',
          when: { minScore: 140, tagsAnyOf: ['Shared Clinical'] },
          then: [{ kind: 'disable_account', mode: 'automatic' }],
        },
      ],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues.map((i) => i.path).sort()).toEqual([
      'rules.0.then.0.mode',
      'rules.0.when.minScore',
      'rules.0.when.tagsAnyOf.0',
    ]);
    expect(body.issues.find((i) => i.path === 'rules.0.then.0.mode')!.message).toMatch(/needs a person/);
  });

  it('creates a playbook, saves new versions, keeps the old ones, refuses a stale edit', async () => {
    const definition = {
      name: 'Night lock',
      enabled: true,
      rules: [
        {
          name: 'night',
          when: { timeOfDay: { from: '22:00', to: '06:00' }, tagsAnyOf: ['pharmacy'] },
          then: [{ kind: 'lock_screen', mode: 'approve', warningSeconds: 60 }],
        },
      ],
    };
    const created = await send('POST', '/api/v1/playbooks', definition);
    expect(created.status).toBe(201);
    const v1 = PlaybookView.parse(await created.json());
    expect(v1).toMatchObject({ version: 1, createdBy: 'admin', description: '' });

    const updated = await send('PUT', `/api/v1/playbooks/${v1.id}`, { ...definition, enabled: false, baseVersion: 1 });
    expect(updated.status).toBe(200);
    expect(PlaybookView.parse(await updated.json())).toMatchObject({ version: 2, enabled: false });

    const stale = await send('PUT', `/api/v1/playbooks/${v1.id}`, { ...definition, baseVersion: 1 });
    expect(stale.status).toBe(409);

    const versions = PlaybookList.parse(await (await call(`/api/v1/playbooks/${v1.id}/versions`)).json());
    expect(versions.items.map((v) => [v.version, v.enabled])).toEqual([
      [2, false],
      [1, true],
    ]);
    expect((await call('/api/v1/playbooks/no-such-playbook')).status).toBe(404);
    expect((await send('PUT', '/api/v1/playbooks/no-such-playbook', definition)).status).toBe(404);
    expect((await call('/api/v1/playbooks/NOT%20AN%20ID')).status).toBe(400);

    const audit = (await (await call('/api/v1/audit?limit=20')).json()) as {
      items: { action: string; target: string; details: Record<string, unknown> }[];
    };
    const mine = audit.items.filter((r) => r.target === v1.id);
    expect(mine.map((r) => [r.action, r.details.version])).toEqual([
      ['playbook.update', 2],
      ['playbook.create', 1],
    ]);
    expect(mine[0].details.changes).toEqual({ enabled: { before: true, after: false } });
  });

  it('sets workstation tags and unit, shows them in the agent list, refuses bad ones', async () => {
    const response = await send('PATCH', '/api/v1/agents/agent-1', {
      tags: ['shared-clinical', 'icu'],
      unit: 'Ward 3',
    });
    expect(response.status).toBe(200);
    const page = AgentPage.parse(await (await call('/api/v1/agents')).json());
    expect(page.items.find((a) => a.id === 'agent-1')).toMatchObject({
      tags: ['shared-clinical', 'icu'],
      unit: 'Ward 3',
    });

    const bad = await send('PATCH', '/api/v1/agents/agent-1', { tags: ['ICU!', 'x'.repeat(33)] });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path)).toEqual(['tags.0', 'tags.1']);
    expect(
      (await send('PATCH', '/api/v1/agents/agent-1', { tags: Array.from({ length: 17 }, (_, i) => `t${i}`) })).status,
    ).toBe(400);
    expect((await send('PATCH', '/api/v1/agents/agent-1', { hostname: 'evil' })).status).toBe(400);
    expect((await send('PATCH', '/api/v1/agents/nope', { unit: 'Ward 3' })).status).toBe(404);
  });

  it('decides on an alert raised from a score, after commit, and audits the decision', async () => {
    await manager.app.get(ScoreIngestService).ingest('agent-1', {
      sequence: 1,
      scores: [
        {
          id: 'score-ransom',
          windowStartMs: Date.now() - 60_000,
          windowEndMs: Date.now(),
          user: 'u_00112233aabbccdd',
          score: 97,
          threshold: 60,
          severity: Severity.SEVERITY_CRITICAL,
          modelSource: 'own',
          baselineSource: 'user',
          reasons: [
            { text: 'Ransomware burst: 30 files rewritten', source: 'rule', feature: '', ruleId: 'ransomware-burst' },
          ],
          ruleIds: ['ransomware-burst'],
          scoredAtMs: Date.now(),
          partial: false,
          suspects: [],
        },
      ],
    });
    await manager.app.get(PlaybookDecisionService).settled();
    const audit = (await (await call('/api/v1/audit?limit=20')).json()) as {
      items: { action: string; details: Record<string, unknown> }[];
    };
    const decisions = audit.items.filter((r) => r.action === 'playbook.decision').map((r) => r.details);
    // The automatic actions are queued for the (offline) agent; the lock waits for a person's approval.
    expect(decisions.map((d) => [d.playbookId, d.playbookVersion, d.action, d.chosenMode, d.outcome]).sort()).toEqual([
      [
        'default-ransomware-burst',
        1,
        'block_removable',
        'automatic',
        { kind: 'issued', state: 'queued', commandId: expect.any(String) as string },
      ],
      [
        'default-ransomware-burst',
        1,
        'kill_process_tree',
        'automatic',
        { kind: 'issued', state: 'queued', commandId: expect.any(String) as string },
      ],
      // agent-1 is tagged shared-clinical by the test above: its lock asks for approval.
      [
        'default-shared-clinical-high',
        1,
        'lock_screen',
        'approve',
        { kind: 'approval_requested', approvalId: expect.any(String) as string },
      ],
    ]);
    expect(decisions[0]).toMatchObject({ score: 97, ruleIds: ['ransomware-burst'], modelVersion: 'own' });
  });
});
