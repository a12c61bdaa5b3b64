import { Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryEventRepository } from '../testing/fakes/alert.repository.fake';
import { fake, FakeClock, FakeTransactionRunner } from '../testing/fakes/fakes';
import { EventBus } from './event-bus';
import { EventIngestService } from './event-ingest.service';
import { parseConfig } from '../config/config.schema';

function sut() {
  const events = new InMemoryEventRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([events]));
  const clock = new FakeClock(1_700_000_000_000);
  const bus = new EventBus();
  const published: string[] = [];
  bus.stream().subscribe((e) => published.push(e.id));
  const service = new EventIngestService(fake(events), transactions, bus, clock, parseConfig({}, '/x'));
  return { service, events, published };
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
});
