import { Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { AlertService } from '../alerts/alert.service';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAlertRepository, InMemoryEventRepository } from '../testing/fakes/alert.repository.fake';
import { InMemoryAuditRepository } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { EventBus } from './event-bus';
import { EventIngestService } from './event-ingest.service';

function sut() {
  const events = new InMemoryEventRepository();
  const alerts = new InMemoryAlertRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([events, alerts, auditRows]));
  const clock = new FakeClock(1_700_000_000_000);
  const audit = new AuditService(fake(auditRows), transactions, clock);
  const bus = new EventBus();
  const published: string[] = [];
  bus.stream().subscribe((e) => published.push(e.id));
  const service = new EventIngestService(
    fake(events),
    transactions,
    new AlertService(fake(alerts), audit, clock, new FakeRandom()),
    bus,
    clock,
  );
  return { service, events, alerts, auditRows, published };
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
});
