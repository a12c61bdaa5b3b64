import { Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryEventRepository } from '../testing/fakes/alert.repository.fake';
import { fake, FakeClock, FakeTransactionRunner } from '../testing/fakes/fakes';
import { ManagerMetrics } from '../metrics/manager-metrics';
import { metricValue } from '../testing/metric-value.fixture';
import { EventBus } from './event-bus';
import { EventIngestService } from './event-ingest.service';
import { parseConfig } from '../config/config.schema';

function sut() {
  const events = new InMemoryEventRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([events]));
  const clock = new FakeClock(1_700_000_000_000);
  const metrics = new ManagerMetrics();
  const bus = new EventBus(metrics);
  const published: string[] = [];
  bus.stream().subscribe((e) => published.push(e.id));
  const service = new EventIngestService(fake(events), transactions, bus, clock, metrics, parseConfig({}, '/x'));
  return { service, events, published, metrics };
}

const login = (id: string, severity: Severity = Severity.SEVERITY_INFO): Event => ({
  id,
  timeMs: 1_700_000_000_000 - 1_000,
  sequence: 0,
  severity,
  user: 'u_00000000000000ab',
  detail: {
    $case: 'login',
    value: {
      action: 'failed_logon',
      method: 'password',
      service: 'sshd',
      tty: '',
      sourceHost: '',
      sourceIp: '',
      sourcePort: 22,
      targetUser: '',
      raw: '',
    },
  },
});

describe('EventIngestService', () => {
  it('stores new events once, then publishes; an agent rating an event critical raises no alert', async () => {
    const { service, events, published } = sut();
    const batch = {
      sequence: 1,
      dropped: {},
      events: [login('e1'), login('e2', Severity.SEVERITY_CRITICAL), login('e1')],
    };
    expect(await service.ingest('agent-a', 'ward3', batch)).toEqual({ stored: 2, duplicates: 1, rejected: [] });
    // The agent's severity is kept as its claim; only the manager's threshold on scores raises alerts.
    expect(events.rows.map((e) => [e.eventId, e.severity])).toEqual([
      ['e1', Severity.SEVERITY_INFO],
      ['e2', Severity.SEVERITY_CRITICAL],
    ]);
    expect(published).toEqual(['e1', 'e2']);
  });

  it('rejects a malformed event with its reason', async () => {
    const { service } = sut();
    const result = await service.ingest('agent-a', 'ward3', { sequence: 1, dropped: {}, events: [login('')] });
    expect(result).toMatchObject({ stored: 0, rejected: [{ eventId: '' }] });
  });

  it('counts stored, duplicate and rejected events, the batch and its time, and the drops it reports', async () => {
    const { service, metrics } = sut();
    const dropped = { 'rate_limit.low.file': 5, 'queue_full.high.login': 2, 'made.up': 7 };
    await service.ingest('agent-a', 'ward3', { sequence: 1, dropped, events: [login('e1'), login('e1'), login('')] });
    expect(await metricValue(metrics, 'wardwatch_events_total', { outcome: 'stored' })).toBe(1);
    expect(await metricValue(metrics, 'wardwatch_events_total', { outcome: 'duplicate' })).toBe(1);
    expect(await metricValue(metrics, 'wardwatch_events_total', { outcome: 'rejected' })).toBe(1);
    expect(await metricValue(metrics, 'wardwatch_event_batches_total', { outcome: 'stored' })).toBe(1);
    expect(await metricValue(metrics, 'wardwatch_event_batch_duration_seconds')).toBe(1);
    const drops = (labels: Record<string, string>) =>
      metricValue(metrics, 'wardwatch_agent_dropped_events_total', labels);
    expect(await drops({ reason: 'rate_limit', class: 'low', category: 'file' })).toBe(5);
    expect(await drops({ reason: 'queue_full', class: 'high', category: 'login' })).toBe(2);
    expect(await drops({ reason: 'other', class: 'other', category: 'other' })).toBe(7);
  });

  it('counts a batch that could not be stored as failed, and not its drops (the agent reports them again)', async () => {
    const { service, events, published, metrics } = sut();
    events.insertNew = () => Promise.reject(new Error('disk full'));
    const batch = { sequence: 1, dropped: { 'rate_limit.low.file': 5 }, events: [login('e2')] };
    await expect(service.ingest('agent-a', 'ward3', batch)).rejects.toThrow('disk full');
    expect(published).toEqual([]);
    expect(await metricValue(metrics, 'wardwatch_event_batches_total', { outcome: 'failed' })).toBe(1);
    expect(await metricValue(metrics, 'wardwatch_event_batches_total', { outcome: 'stored' })).toBe(0);
    expect(await metricValue(metrics, 'wardwatch_agent_dropped_events_total')).toBe(0);
  });
});
