// Clear values at the real gRPC edge: an enrolled agent sends a batch in which one
// event names its user in clear and one a patient-data path in clear. Those two
// are refused, counted (intake counters and /metrics) and stored nowhere; the rest
// of the batch is stored and the batch acknowledged.
import type { Event } from '@wardwatch/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventQueryService } from '../events/event-query.service';
import { IntakeCounters } from '../intake/intake.counters';
import { ManagerMetrics } from '../metrics/manager-metrics';
import { metricValue } from '../testing/metric-value.fixture';
import { acks, enrollTestAgent, eventBatch, hello, honestEvent } from '../testing/test-agent.fixture';
import { startTestManager, type TestManager } from '../testing/test-manager.fixture';

describe('clear values where pseudonyms belong, over gRPC', () => {
  let manager: TestManager;

  beforeAll(async () => {
    manager = await startTestManager();
  });
  afterAll(async () => manager?.stop());

  it('refuses and counts the events with a clear user name or path, and stores the rest', async () => {
    const agent = await enrollTestAgent(manager);
    const clearUser: Event = { ...honestEvent('clear-user'), user: 'nurse.jones' };
    const clearPath: Event = {
      ...honestEvent('clear-path'),
      detail: {
        $case: 'file',
        value: {
          action: 'write',
          path: '/srv/records/ward3/jones-discharge.pdf',
          previousPath: '',
          folderClass: 'phi',
          extension: '.pdf',
          depth: 2,
          sizeBytes: 10,
          entropy: -1,
          owner: '',
          process: '',
          pid: 0,
        },
      },
    };
    const session = agent.open();
    session.send(hello());
    session.send(eventBatch(1, [honestEvent('ok-1'), clearUser, honestEvent('ok-2'), clearPath, honestEvent('ok-3')]));
    await session.waitFor((got) => acks(got).includes(1));
    session.close();
    agent.close();

    const stored = (await manager.app.get(EventQueryService).page({ agentId: agent.agentId, limit: 100 })).items;
    expect(stored.map((e) => e.id).sort()).toEqual(['ok-1', 'ok-2', 'ok-3']);
    expect(JSON.stringify(stored)).not.toMatch(/jones/);
    expect(manager.app.get(IntakeCounters).get('clear_value')).toBe(2);
    expect(
      await metricValue(manager.app.get(ManagerMetrics), 'wardwatch_agent_refusals_total', { reason: 'clear_value' }),
    ).toBe(2);
    const warned = manager.logs.find((l) => l.msg === 'events rejected' && l.agentId === agent.agentId);
    expect(warned).toMatchObject({ count: 2, first: { eventId: 'clear-user' } });
    expect(JSON.stringify(manager.logs)).not.toMatch(/jones/);
  });
});
