// Incidents in a running manager: two enrolled agents send failed logons from one
// source over mutual-TLS gRPC; the flush job writes one incident, which the REST API
// lists and serves with its evidence events.
import { IncidentDetail, IncidentList } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acks, enrollTestAgent, eventBatch, hello, TEST_HOST, type TestAgent } from '../testing/test-agent.fixture';
import { adminGet, startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { loginEvent, token } from './incident-events.fixture';
import { IncidentFlushJob } from './incident-flush.job';

describe('incidents in a running manager', () => {
  let manager: TestManager;
  let agents: TestAgent[];
  const hosts = [TEST_HOST, { ...TEST_HOST, hostname: 'ward3-ws13' }];

  beforeAll(async () => {
    // The test runs the flush itself.
    manager = await startTestManager({ env: { WARDWATCH_INCIDENT_FLUSH_SECONDS: '3600' } });
    agents = [];
    for (const host of hosts) agents.push(await enrollTestAgent(manager, host));
  });
  afterAll(async () => {
    for (const agent of agents ?? []) agent.close();
    await manager?.stop();
  });

  it(
    'one source failing against 12 accounts on 2 workstations is one incident with its evidence',
    { timeout: 20_000 },
    async () => {
      const source = token('ip', 0xd1);
      const now = Date.now();
      for (const [n, agent] of agents.entries()) {
        const session = agent.open();
        session.send(hello(hosts[n]));
        const events = Array.from({ length: 12 }, (_, i) =>
          loginEvent({
            id: `w${n}-${i}`,
            timeMs: now - 60_000 + i * 1_000,
            user: token('u', 0x100 + i),
            action: 'failed_logon',
            sourceIp: source,
          }),
        );
        session.send(eventBatch(1, events));
        await session.waitFor((got) => acks(got).includes(1));
        session.close();
      }
      await manager.app.get(IncidentFlushJob).tick();

      const get = await adminGet(manager);
      const listed = IncidentList.parse(await (await get('/api/v1/incidents?status=open')).json());
      expect(listed.items).toHaveLength(1);
      const [incident] = listed.items;
      expect(incident).toMatchObject({
        kind: 'source_failed_logons',
        subject: source,
        failures: 24,
        accountCount: 12,
        workstationCount: 2,
      });
      expect(incident.reason).toMatch(
        new RegExp(`^24 failed logons against 12 accounts on 2 workstations from ${source} between `),
      );
      expect(incident.workstations).toEqual(['ward3-ws12', 'ward3-ws13']);

      const response = await get(`/api/v1/incidents/${incident.id}`);
      expect(response.status).toBe(200);
      const detail = IncidentDetail.parse(await response.json());
      expect(detail.events.map((e) => e.id).sort()).toEqual(
        [...Array.from({ length: 12 }, (_, i) => `w0-${i}`), ...Array.from({ length: 12 }, (_, i) => `w1-${i}`)].sort(),
      );
      expect(detail.evidenceNotListed).toBe(0);

      expect((await get('/api/v1/incidents/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await get('/api/v1/incidents/not-an-id')).status).toBe(400);
      expect((await get('/api/v1/incidents?limit=100000')).status).toBe(400);
    },
  );
});
