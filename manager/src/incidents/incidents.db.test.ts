// Incidents on SQLite and PostgreSQL, fed through the real ingest path (EventIngestService
// → EventBus → tracker) and written by the real service and repository.
import type { Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { AuditRepository } from '../audit/audit.repository';
import { RandomSource } from '../common/clock';
import { parseConfig } from '../config/config.schema';
import { databaseForTests } from '../testing/engine-database.fixture';
import { FakeClock } from '../testing/fakes/fakes';
import { servicesOn } from '../testing/services.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { loginEvent, token, type LoginSpec } from './incident-events.fixture';
import { IncidentTracker } from './incident-tracker';
import { IncidentRepository } from './incident.repository';
import { IncidentService } from './incident.service';

const T0 = Date.UTC(2026, 11, 2, 10, 0, 0);

describe.each(testEngines)('incidents on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  function sut(clock = new FakeClock(T0)) {
    const services = servicesOn(open.db, clock);
    const incidents = new IncidentService(
      new IncidentRepository(open.db),
      services.eventQuery,
      new IncidentTracker(parseConfig({}, '/x').incidents.limits),
      services.transactions,
      services.audit,
      clock,
      new RandomSource(),
    );
    services.bus.onCommitted((events) => incidents.observe(events));
    /** Event ids in the order they were stored. */
    const arrived: string[] = [];
    /** One batch per workstation, as agents send them. */
    const send = async (events: (LoginSpec & { ws: number })[]) => {
      const byWs = new Map<number, Event[]>();
      for (const e of events) byWs.set(e.ws, [...(byWs.get(e.ws) ?? []), loginEvent(e)]);
      for (const [ws, batch] of byWs) {
        const result = await services.eventIngest.ingest(`agent-${ws}`, `ws-${ws}`, {
          sequence: 1,
          dropped: {},
          events: batch,
        });
        expect(result.rejected).toEqual([]);
        arrived.push(...batch.map((e) => e.id));
      }
    };
    const of = async (subject: string) =>
      (await incidents.list({ limit: 500 })).items.filter((i) => i.subject === subject);
    return { clock, incidents, send, of, arrived };
  }

  /** `count` failed logons from `source` against `accounts` accounts on `workstations` workstations, one a second. */
  const spray = (prefix: string, source: string, count: number, accounts: number, workstations: number, from = 0) =>
    Array.from({ length: count }, (_, k) => {
      const i = from + k;
      return {
        id: `${prefix}-${i}`,
        ws: i % workstations,
        timeMs: T0 - 600_000 + i * 1_000,
        user: token('u', 0x5000 + (i % accounts)),
        action: 'failed_logon' as const,
        sourceIp: source,
      };
    });

  it.skipIf(skip)(
    'one spray against 50 accounts on 20 workstations is one incident, updated while it goes on',
    async () => {
      const { clock, incidents, send, of, arrived } = sut();
      const source = token('ip', 0xa1);
      await send(spray('s', source, 150, 50, 20));
      expect(await incidents.flush()).toMatchObject({ opened: 1 });
      clock.advance(30_000);
      await send(spray('s', source, 136, 50, 20, 150));
      expect(await incidents.flush()).toMatchObject({ opened: 0, updated: 1 });

      const [incident, ...more] = await of(source);
      expect(more).toEqual([]);
      expect(incident).toMatchObject({
        kind: 'source_failed_logons',
        status: 'open',
        failures: 286,
        accountCount: 50,
        workstationCount: 20,
        evidenceCount: 286,
        firstSeenMs: T0 - 600_000,
        lastSeenMs: T0 - 600_000 + 285_000,
      });
      expect(incident.reason).toBe(
        `286 failed logons against 50 accounts on 20 workstations from ${source} between 2026-12-02 09:50:00 UTC and 2026-12-02 09:54:45 UTC`,
      );
      expect(incident.accounts).toHaveLength(50);
      expect(incident.workstations).toEqual(Array.from({ length: 20 }, (_, w) => `ws-${w}`).sort());

      const detail = await incidents.detail(incident.id);
      expect(detail.events).toHaveLength(200);
      expect(detail.evidenceNotListed).toBe(86);
      // The first 200 evidence events as they arrived, whatever their workstation.
      expect(detail.events.map((e) => e.id).sort()).toEqual(arrived.slice(0, 200).sort());
      expect(detail.events.every((e) => e.detail.sourceIp === source)).toBe(true);

      // The spray's accounts each failed on 2 workstations only: no cross-host incident.
      expect(await of(token('u', 0x5000))).toEqual([]);
      const audit = await new AuditRepository(open.db).list(50);
      expect(audit.filter((r) => r.action === 'incident.open' && r.target === incident.id)).toHaveLength(1);
    },
  );

  it.skipIf(skip)('two sources are two incidents; a user with typos on two machines is none', async () => {
    const { incidents, send, of } = sut();
    const [one, two, own] = [token('ip', 0xb1), token('ip', 0xb2), token('ip', 0xb3)];
    await send([...spray('b1', one, 25, 3, 1), ...spray('b2', two, 12, 12, 2)]);
    const typos = [0, 1, 2].map((i) => ({
      id: `typo-${i}`,
      ws: 30 + (i % 2),
      timeMs: T0 - 120_000 + i * 20_000,
      user: token('u', 0x77),
      action: 'failed_logon' as const,
      sourceIp: own,
    }));
    await send([...typos, { id: 'typo-ok', ws: 30, timeMs: T0 - 30_000, user: token('u', 0x77), action: 'logon' }]);
    expect(await incidents.flush()).toMatchObject({ opened: 2 });
    expect((await of(one))[0].reason).toMatch(/^25 failed logons against 3 accounts on 1 workstation from ip_/);
    expect((await of(two))[0].reason).toMatch(/^12 failed logons against 12 accounts on 2 workstations from ip_/);
    expect(await of(own)).toEqual([]);
    expect(await of(token('u', 0x77))).toEqual([]);
  });

  it.skipIf(skip)(
    'one account on 6 workstations within minutes is one cross-host incident; quiet, it closes',
    async () => {
      const { clock, incidents, send, of } = sut();
      const account = token('u', 0xc1);
      await send(
        Array.from({ length: 7 }, (_, i) => ({
          id: `x-${i}`,
          ws: 40 + (i % 6),
          timeMs: T0 - 300_000 + i * 30_000,
          user: account,
          action: i === 3 ? ('failed_logon' as const) : ('logon' as const),
        })),
      );
      await incidents.flush();
      const [incident, ...more] = await of(account);
      expect(more).toEqual([]);
      expect(incident).toMatchObject({
        kind: 'account_cross_host',
        workstationCount: 6,
        events: 7,
        failures: 1,
        evidenceCount: 7,
      });
      expect(incident.reason).toBe(
        `account ${account} on 6 workstations (6 logons, 1 failed logon) between 2026-12-02 09:55:00 UTC and 2026-12-02 09:58:00 UTC`,
      );
      expect(incident.workstations).toEqual(['ws-40', 'ws-41', 'ws-42', 'ws-43', 'ws-44', 'ws-45']);

      clock.advance(11 * 60_000);
      expect((await incidents.flush()).closed).toBeGreaterThanOrEqual(1);
      expect((await of(account))[0].status).toBe('closed');
      const listed = await incidents.list({ status: 'closed', kind: 'account_cross_host', limit: 10 });
      expect(listed.items.map((i) => i.subject)).toContain(account);
      await expect(incidents.detail('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
        status: 'not_found',
      });
    },
  );

  it.skipIf(skip)('after a restart the source goes on in its open incident, not in a second one', async () => {
    const before = sut();
    const source = token('ip', 0xf1);
    await before.send(spray('r', source, 20, 5, 2));
    await before.incidents.flush();
    // A new tracker, as after a restart: the stored incident's counts are taken in.
    before.clock.advance(60_000);
    const after = sut(before.clock);
    await after.send(spray('r', source, 10, 10, 4, 20));
    expect(await after.incidents.flush()).toMatchObject({ opened: 0, updated: 1 });
    const [incident, ...more] = await after.of(source);
    expect(more).toEqual([]);
    expect(incident).toMatchObject({ failures: 30, evidenceCount: 30, accountCount: 10, workstationCount: 4 });
    expect(incident.evidence.map((e) => e.eventId)).toEqual([...before.arrived, ...after.arrived]);
  });
});
