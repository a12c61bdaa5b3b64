// A silent agent in a running manager: an agent enrolls and says Hello over mutual
// TLS, goes quiet, and after the configured limit the check raises an alert the
// REST API serves; when the agent connects again the alert notes its return.
import { AlertPage } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentService } from '../agents/agent.service';
import { enrollTestAgent, TEST_HOST, type TestAgent } from '../testing/test-agent.fixture';
import { adminGet, startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { SilentAgentsJob } from './silent-agents.job';

const LIMIT_MS = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('silent agents in a running manager', () => {
  let manager: TestManager;
  let agent: TestAgent;

  beforeAll(async () => {
    // A long check interval: the test runs the check itself, when it wants to.
    manager = await startTestManager({
      env: { WARDWATCH_SILENT_AGENT_SECONDS: String(LIMIT_MS / 1000), WARDWATCH_SILENT_AGENT_CHECK_SECONDS: '3600' },
    });
    agent = await enrollTestAgent(manager);
  });
  afterAll(async () => {
    agent?.close();
    await manager?.stop();
  });

  const lastSeen = async () => (await manager.app.get(AgentService).get(agent.agentId)).lastSeenAt;
  const hello = async () => {
    const before = await lastSeen();
    const session = agent.open();
    session.send({ body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: '0.1.0', host: TEST_HOST } } });
    for (let i = 0; i < 100 && (await lastSeen()) === before; i++) await sleep(20);
    return session;
  };
  const alerts = async () => {
    const get = await adminGet(manager);
    const response = await get('/api/v1/alerts');
    expect(response.status).toBe(200);
    return AlertPage.parse(await response.json()).items.filter((a) => a.kind === 'agent_silent');
  };

  it(
    'raises one alert through the REST API after the agent went silent, and notes its return',
    { timeout: 20_000 },
    async () => {
      const job = manager.app.get(SilentAgentsJob);
      const session = await hello();
      const seenAt = (await lastSeen())!;
      await job.tick();
      expect(await alerts()).toEqual([]); // heard from just now (and the manager just started)

      session.close(); // no more heartbeats
      await sleep(LIMIT_MS + 200);
      await job.tick();
      await job.tick();
      const raised = await alerts();
      expect(raised).toHaveLength(1);
      expect(raised[0]).toMatchObject({
        agentId: agent.agentId,
        severity: 'high',
        status: 'open',
        title: `Agent silent: ${TEST_HOST.hostname}`,
        windowStart: seenAt,
      });
      expect(raised[0].reasons[0]).toMatch(
        new RegExp(`^no heartbeat from ${TEST_HOST.hostname} for \\d+ min, last seen \\d\\d:\\d\\d UTC$`),
      );

      const back = await hello();
      await job.tick();
      const [noted] = await alerts();
      expect(noted.id).toBe(raised[0].id);
      expect(noted.windowEnd).toBe(await lastSeen());
      expect(noted.reasons[1]).toMatch(new RegExp(`^${TEST_HOST.hostname} was heard from again at `));
      back.close();
    },
  );
});
