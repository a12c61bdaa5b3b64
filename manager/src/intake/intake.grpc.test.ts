// The caps, rate limit and quota at the real gRPC edge: an enrolled agent's
// identity over mutual TLS sends what a hostile workstation would.
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventQueryService } from '../events/event-query.service';
import { acks, enrollTestAgent, eventBatch, hello, honestEvent } from '../testing/test-agent.fixture';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { IntakeCounters } from './intake.counters';

const events = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => honestEvent(`${prefix}-${i}`));

describe.each(testEngines)('what one agent may send, on $name', ({ make, skip }) => {
  let database: TestDatabase;
  let manager: TestManager;

  beforeAll(async () => {
    if (skip) return;
    database = make();
    manager = await startTestManager({
      database: database.config,
      env: {
        WARDWATCH_GRPC_MAX_MESSAGE_BYTES: String(256 * 1024),
        WARDWATCH_BATCH_MAX_EVENTS: '50',
        WARDWATCH_BATCH_MAX_BYTES: String(64 * 1024),
        WARDWATCH_AGENT_EVENTS_PER_SECOND: '10',
        WARDWATCH_AGENT_EVENT_BURST: '100',
        WARDWATCH_AGENT_EVENT_QUOTA: '120',
      },
    });
  });
  afterAll(async () => {
    await manager?.stop();
    await database?.dispose();
  });

  const stored = async (agentId: string) =>
    (await manager.app.get(EventQueryService).page({ agentId, limit: 500 })).items.length;

  it.skipIf(skip)('refuses a batch over the event cap without storing or acknowledging it, and counts it', async () => {
    const agent = await enrollTestAgent(manager);
    const session = agent.open();
    session.send(hello());
    session.send(eventBatch(1, events('ok', 5)));
    await session.waitFor((got) => acks(got).includes(1));
    session.send(eventBatch(2, events('big', 51)));
    const error = await session.ended();
    expect(error).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
      details: 'event batch 2 holds 51 events; at most 50 per batch',
    });
    expect(acks(session.got)).toEqual([1]);
    expect(await stored(agent.agentId)).toBe(5);
    expect(manager.app.get(IntakeCounters).get('batch_events')).toBeGreaterThanOrEqual(1);
    // Nothing else is lost: the agent comes back and its next batch is stored.
    const again = agent.open();
    again.send(eventBatch(3, events('after', 5)));
    await again.waitFor((got) => acks(got).includes(3));
    again.close();
    agent.close();
  });

  it.skipIf(skip)('refuses a batch over the byte cap and a message over the gRPC size limit', async () => {
    const agent = await enrollTestAgent(manager);
    const wide = events('wide', 40).map((e) => ({ ...e, id: `${e.id}-${'x'.repeat(40)}`.slice(0, 64) }));
    const padded = wide.map((e) =>
      e.detail?.$case === 'process'
        ? { ...e, detail: { ...e.detail, value: { ...e.detail.value, sha256: 'f'.repeat(2_000) } } }
        : e,
    );
    const first = agent.open();
    first.send(eventBatch(1, padded));
    expect(await first.ended()).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
      details: expect.stringMatching(/^event batch 1 is \d+ bytes; at most 65536 bytes per batch$/) as unknown,
    });
    const huge = padded.map((e) =>
      e.detail?.$case === 'process'
        ? { ...e, detail: { ...e.detail, value: { ...e.detail.value, sha256: 'f'.repeat(8_000) } } }
        : e,
    );
    const second = agent.open();
    second.send(eventBatch(2, huge));
    expect((await second.ended())?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(await stored(agent.agentId)).toBe(0);
    agent.close();
  });

  it.skipIf(skip)('refuses events with times outside the window, counted, and stores the rest', async () => {
    const agent = await enrollTestAgent(manager);
    const counters = manager.app.get(IntakeCounters);
    const before = counters.get('event_time');
    const session = agent.open();
    const now = Date.now();
    session.send(
      eventBatch(1, [
        honestEvent('future', now + 10 * 60_000),
        honestEvent('ancient', now - 40 * 86_400_000),
        honestEvent('now', now),
      ]),
    );
    await session.waitFor((got) => acks(got).includes(1));
    const page = await manager.app.get(EventQueryService).page({ agentId: agent.agentId, limit: 10 });
    expect(page.items.map((e) => e.id)).toEqual(['now']);
    expect(counters.get('event_time')).toBe(before + 2);
    session.close();
    agent.close();
  });

  it.skipIf(skip)('refuses events beyond the agent rate, then its storage quota, each counted', async () => {
    const agent = await enrollTestAgent(manager);
    const counters = manager.app.get(IntakeCounters);
    const rateBefore = counters.get('rate_limited');
    const session = agent.open();
    session.send(eventBatch(1, events('a', 50)));
    session.send(eventBatch(2, events('b', 50)));
    session.send(eventBatch(3, events('c', 10))); // the burst of 100 is spent
    const error = await session.ended();
    expect(error).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
      details: 'event batch 3 refused: rate limit: at most 10 events per second; resend later',
    });
    expect(acks(session.got)).toEqual([1, 2]);
    expect(counters.get('rate_limited')).toBe(rateBefore + 1);
    expect(await stored(agent.agentId)).toBe(100);

    // 2 s later the bucket holds 20 more: 10 events fit both; 11 more would pass the quota of 120.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const next = agent.open();
    next.send(eventBatch(4, events('d', 10)));
    await next.waitFor((got) => acks(got).includes(4));
    await new Promise((resolve) => setTimeout(resolve, 200));
    next.send(eventBatch(5, events('e', 11)));
    expect(await next.ended()).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
      details: expect.stringContaining(
        'storage quota reached: 110 events stored for this agent, at most 120',
      ) as unknown,
    });
    expect(counters.get('quota_exceeded')).toBeGreaterThanOrEqual(1);
    expect(await stored(agent.agentId)).toBe(110);
    agent.close();
  });
});
