import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config.schema';
import { EventQueryService } from '../events/event-query.service';
import type { EventRecord } from '../events/event-record';
import { InMemoryEventRepository } from '../testing/fakes/alert.repository.fake';
import { fake, FakeClock } from '../testing/fakes/fakes';
import { IntakeCounters } from './intake.counters';
import { IntakeService } from './intake.service';

function sut(env: Record<string, string> = {}) {
  const events = new InMemoryEventRepository();
  const clock = new FakeClock(1_000_000);
  const counters = new IntakeCounters();
  const config = parseConfig(env, '/x');
  const service = new IntakeService(config, clock, new EventQueryService(fake(events)), counters);
  const store = (agentId: string, count: number) => {
    for (let i = 0; i < count; i += 1) events.rows.push({ agentId, eventId: `${events.rows.length}` } as EventRecord);
  };
  return { service, clock, counters, events, store };
}

describe('IntakeService', () => {
  it('lets a burst through, refuses beyond it, and refills at the configured rate', async () => {
    const { service, clock, counters } = sut({
      WARDWATCH_AGENT_EVENTS_PER_SECOND: '100',
      WARDWATCH_AGENT_EVENT_BURST: '500',
    });
    expect(await service.admitEvents('a', 500)).toEqual({ ok: true });
    expect(await service.admitEvents('a', 1)).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await service.admitEvents('b', 500)).toEqual({ ok: true }); // one bucket per agent
    // Refused, the agent may not start a new session before a second's worth has refilled.
    expect(service.admitSession('a')).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(service.admitSession('b')).toEqual({ ok: true });
    clock.advance(1_000);
    expect(service.admitSession('a')).toEqual({ ok: true });
    expect(await service.admitEvents('a', 101)).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await service.admitEvents('a', 100)).toEqual({ ok: true });
    expect(counters.get('rate_limited')).toBe(3);
  });

  it('refuses a batch that would take the agent over its storage quota, and counts it', async () => {
    const { service, counters, store } = sut({ WARDWATCH_AGENT_EVENT_QUOTA: '1000' });
    store('a', 990);
    expect(await service.admitEvents('a', 10)).toEqual({ ok: true });
    service.recordStored('a', 10);
    const refused = await service.admitEvents('a', 1);
    expect(refused).toMatchObject({ ok: false, reason: 'quota_exceeded' });
    expect(!refused.ok && refused.message).toMatch(/1000 events stored for this agent, at most 1000/);
    expect(await service.admitEvents('b', 1000)).toEqual({ ok: true });
    expect(counters.get('quota_exceeded')).toBe(1);
  });

  it('counts again after a while, so events deleted by retention free the quota', async () => {
    const { service, clock, events, store } = sut({ WARDWATCH_AGENT_EVENT_QUOTA: '10' });
    store('a', 10);
    expect((await service.admitEvents('a', 1)).ok).toBe(false);
    events.rows = [];
    expect((await service.admitEvents('a', 1)).ok).toBe(false); // the count is trusted for a while
    clock.advance(10_000);
    expect(await service.admitEvents('a', 1)).toEqual({ ok: true });
  });
});
