import { Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { AlertService } from '../alerts/alert.service';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAlertRepository, InMemoryEventRepository } from '../testing/fakes/alert.repository.fake';
import { InMemoryAuditRepository } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { ManagerMetrics } from '../metrics/manager-metrics';
import { metricValue } from '../testing/metric-value.fixture';
import { EventBus } from './event-bus';
import { EventIngestService } from './event-ingest.service';

function sut() {
  const events = new InMemoryEventRepository();
  const alerts = new InMemoryAlertRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([events, alerts, auditRows]));
  const clock = new FakeClock(1_700_000_000_000);
  const audit = new AuditService(fake(auditRows), transactions, clock);
  const metrics = new ManagerMetrics();
  const bus = new EventBus(metrics);
  const published: string[] = [];
  bus.stream().subscribe((e) => published.push(e.id));
  const service = new EventIngestService(
    fake(events),
    transactions,
    new AlertService(fake(alerts), audit, clock, new FakeRandom()),
    bus,
    clock,
    metrics,
  );
  return { service, events, alerts, auditRows, published, metrics };
}

const login = (id: string, severity: Severity = Severity.SEVERITY_INFO): Event => ({
  id,
  timeMs: 1_700_000_000_000 - 1_000,
  severity,
  user: 'u_abc',
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
  it('stores new events once, raises audited alerts for high ones, then publishes', async () => {
    const { service, alerts, auditRows, published } = sut();
    const batch = { sequence: 1, dropped: {}, events: [login('e1'), login('e2', Severity.SEVERITY_HIGH), login('e1')] };
    expect(await service.ingest('agent-a', 'ward3', batch)).toEqual({
      stored: 2,
      duplicates: 1,
      rejected: [],
      alerts: 1,
    });
    expect(alerts.rows.map((a) => a.eventIds)).toEqual([['e2']]);
    expect(auditRows.actions()).toEqual(['alert.raise']);
    expect(published).toEqual(['e1', 'e2']);
  });

  it('rejects a malformed event with its reason', async () => {
    const { service } = sut();
    const result = await service.ingest('agent-a', 'ward3', { sequence: 1, dropped: {}, events: [login('')] });
    expect(result).toMatchObject({ stored: 0, rejected: [{ eventId: '' }] });
  });

  it('stores and publishes nothing when an alert cannot be audited', async () => {
    const { service, events, auditRows, published } = sut();
    auditRows.failNextInsert = new Error('disk full');
    const batch = { sequence: 1, dropped: {}, events: [login('e1'), login('e2', Severity.SEVERITY_CRITICAL)] };
    await expect(service.ingest('agent-a', 'ward3', batch)).rejects.toThrow('disk full');
    expect(events.rows).toEqual([]);
    expect(published).toEqual([]);
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
    const { service, auditRows, metrics } = sut();
    auditRows.failNextInsert = new Error('disk full');
    const batch = {
      sequence: 1,
      dropped: { 'rate_limit.low.file': 5 },
      events: [login('e2', Severity.SEVERITY_CRITICAL)],
    };
    await expect(service.ingest('agent-a', 'ward3', batch)).rejects.toThrow('disk full');
    expect(await metricValue(metrics, 'wardwatch_event_batches_total', { outcome: 'failed' })).toBe(1);
    expect(await metricValue(metrics, 'wardwatch_event_batches_total', { outcome: 'stored' })).toBe(0);
    expect(await metricValue(metrics, 'wardwatch_agent_dropped_events_total')).toBe(0);
  });
});
