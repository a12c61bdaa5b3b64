import { Severity, type Event } from '@wardwatch/proto';
import { EventQuery } from '@wardwatch/shared';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertService } from '../alerts/alert.service';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { servicesOn } from '../testing/services.fixture';
import type { EventIngestService } from './event-ingest.service';
import { EventFacetsService } from './event-facets.service';
import type { EventQueryService } from './event-query.service';

const fileEvent = (id: string, timeMs: number, severity: Severity = Severity.SEVERITY_INFO): Event => ({
  id,
  timeMs,
  sequence: 0,
  severity,
  user: 'u_00000000000000ab',
  detail: {
    $case: 'file',
    value: {
      action: 'create',
      path: 'p_phi_d1_0000000000000001.pdf',
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
});
const loginEvent = (id: string, timeMs: number): Event => ({
  id,
  timeMs,
  sequence: 0,
  severity: Severity.SEVERITY_HIGH,
  user: 'u_00000000000000de',
  detail: {
    $case: 'login',
    value: {
      action: 'failed_logon',
      method: 'password',
      service: 'sshd',
      tty: '',
      sourceHost: '',
      sourceIp: 'ip_0000000000000001',
      sourcePort: 0,
      targetUser: '',
      raw: '',
    },
  },
});

describe.each(testEngines)('event storage on $name', ({ make, skip }) => {
  let database: TestDatabase;
  let db: DataSource;
  let ingest: EventIngestService;
  let query: EventQueryService;
  let alerts: AlertService;
  const published: string[] = [];

  beforeAll(async () => {
    if (skip) return;
    database = make();
    db = await database.open();
    // The events are from the first hours of 1970: a clock there keeps them inside the time window.
    const services = servicesOn(db, { now: () => 40_000_000 });
    ({ eventIngest: ingest, eventQuery: query, alerts } = services);
    services.bus.stream().subscribe((e) => published.push(e.id));
    for (const id of ['agent-a', 'agent-b']) {
      await services.repos.agents.insert({
        id,
        hostname: `host-${id}`,
        os: 'linux',
        osVersion: '6',
        version: '0.1.0',
        status: 'online',
        enrolledAt: 1,
        lastSeenAt: null,
        certFingerprint: 'x',
        stats: null,
      });
    }
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.dispose();
  });

  it.skipIf(skip)('stores a batch once; a resent batch and repeated ids change nothing', async () => {
    const events = Array.from({ length: 1_200 }, (_, i) => fileEvent(`f-${String(i).padStart(5, '0')}`, 1_000_000 + i));
    const first = await ingest.ingest('agent-a', 'host-a', {
      sequence: 1,
      events: [...events, events[0]],
      dropped: {},
    });
    expect(first).toMatchObject({ stored: 1_200, duplicates: 1, rejected: [] });
    const again = await ingest.ingest('agent-a', 'host-a', { sequence: 1, events, dropped: {} });
    expect(again).toMatchObject({ stored: 0, duplicates: 1_200 });
    // The same event id from another agent is another event.
    const other = await ingest.ingest('agent-b', 'host-b', { sequence: 1, events: [events[0]], dropped: {} });
    expect(other.stored).toBe(1);
    expect(published.length).toBe(1_201);
  });

  it.skipIf(skip)("stores each event's sequence and reports per agent count, range, gaps and repeats", async () => {
    const numbered = (id: string, sequence: number) => ({ ...fileEvent(id, 3_000_000), sequence });
    const batch = [1, 2, 3, 5, 5, 7].map((n, i) => numbered(`s-${i}`, n));
    await ingest.ingest('agent-s', 'host-s', { sequence: 1, events: batch, dropped: {} });
    // Resent (the ack was lost): nothing changes.
    await ingest.ingest('agent-s', 'host-s', { sequence: 2, events: batch.slice(0, 3), dropped: {} });
    await ingest.ingest('agent-t', 'host-t', {
      sequence: 1,
      events: [numbered('t-1', 9_007_199_254_740_991)],
      dropped: {},
    });
    // Sequence 0: an agent that gives none (stored as null, not numbered).
    await ingest.ingest('agent-t', 'host-t', { sequence: 2, events: [numbered('t-0', 0)], dropped: {} });
    const repos = servicesOn(db).repos;
    expect(await repos.events.sequenceReports('agent-s')).toEqual([
      { agentId: 'agent-s', events: 6, numbered: 6, min: 1, max: 7, distinct: 5, duplicates: 1, missing: 2 },
    ]);
    const all = await repos.events.sequenceReports();
    expect(all.find((r) => r.agentId === 'agent-t')).toEqual({
      agentId: 'agent-t',
      events: 2,
      numbered: 1,
      min: 9_007_199_254_740_991,
      max: 9_007_199_254_740_991,
      distinct: 1,
      duplicates: 0,
      missing: 0,
    });
  });

  it.skipIf(skip)('refuses a negative or fractional sequence', async () => {
    const result = await ingest.ingest('agent-b', 'host-b', {
      sequence: 3,
      events: [
        { ...fileEvent('neg', 2_000_000), sequence: -1 },
        { ...fileEvent('frac', 2_000_000), sequence: 1.5 },
      ],
      dropped: {},
    });
    expect(result.stored).toBe(0);
    expect(result.rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining('sequence'),
      expect.stringContaining('sequence'),
    ]);
  });

  it.skipIf(skip)('refuses malformed events one by one and keeps the rest', async () => {
    const bad = { ...fileEvent('', 5), detail: undefined };
    const result = await ingest.ingest('agent-b', 'host-b', {
      sequence: 2,
      events: [bad, loginEvent('l-1', 2_000_000)],
      dropped: {},
    });
    expect(result.stored).toBe(1);
    expect(result.rejected).toHaveLength(1);
    // The agent rated the login high: its claim is stored, and raises no alert (the manager decides).
    expect((await alerts.page(100)).items.filter((a) => a.agentId === 'agent-b')).toEqual([]);
  });

  it.skipIf(skip)('filters by agent, category, action, severity and time', async () => {
    const q = (input: Record<string, unknown>) => query.page(EventQuery.parse(input));
    expect((await q({ agentId: 'agent-b' })).items.map((e) => e.id).sort()).toEqual(['f-00000', 'l-1']);
    expect((await q({ category: 'login' })).items.map((e) => e.id)).toEqual(['l-1']);
    expect((await q({ action: 'failed_logon', minSeverity: 'high' })).items).toHaveLength(1);
    expect((await q({ minSeverity: 'critical' })).items).toHaveLength(0);
    const window = await q({ agentId: 'agent-a', fromMs: 1_000_010, toMs: 1_000_019, limit: 500 });
    expect(window.items.map((e) => e.timeMs)).toEqual(Array.from({ length: 10 }, (_, i) => 1_000_019 - i));
    expect(window.items[0]).toMatchObject({
      hostname: 'host-a',
      category: 'file',
      action: 'create',
      detail: { folderClass: 'phi', extension: '.pdf' },
    });
  });

  it.skipIf(skip)('pages newest first with an opaque cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await query.page(
        EventQuery.parse({ agentId: 'agent-a', limit: 500, ...(cursor ? { cursor } : {}) }),
      );
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(1_200);
    expect(new Set(seen).size).toBe(1_200);
    expect(seen[0]).toBe('f-01199');
    expect(seen.at(-1)).toBe('f-00000');
  });

  it.skipIf(skip)('refuses a malformed cursor', async () => {
    await expect(query.page(EventQuery.parse({ cursor: 'not-a-cursor' }))).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });

  it.skipIf(skip)('offers the actions among the newest events, most frequent first, cached for 30 s', async () => {
    const newest = [loginEvent('n-1', 39_000_001), loginEvent('n-2', 39_000_002), fileEvent('n-3', 39_000_003)];
    await ingest.ingest('agent-a', 'host-a', { sequence: 9, events: newest, dropped: {} });
    const repos = servicesOn(db).repos;
    expect(await repos.events.recentActions(3, 10)).toEqual([
      { category: 'login', action: 'failed_logon', count: 2 },
      { category: 'file', action: 'create', count: 1 },
    ]);
    expect(await repos.events.recentActions(1, 10)).toEqual([{ category: 'file', action: 'create', count: 1 }]);
    expect(await repos.events.recentActions(3, 1)).toHaveLength(1);

    let now = 40_000_000;
    const facets = new EventFacetsService(repos.events, { now: () => now });
    const first = await facets.actions();
    expect(first.items[0]).toMatchObject({ category: 'file', action: 'create' });
    expect(first.items.find((item) => item.action === 'failed_logon')?.count).toBeGreaterThanOrEqual(2);
    await ingest.ingest('agent-a', 'host-a', { sequence: 10, events: [loginEvent('n-4', 39_000_004)], dropped: {} });
    expect(await facets.actions()).toBe(await facets.actions());
    expect((await facets.actions()).items).toEqual(first.items);
    now += 30_000;
    const later = await facets.actions();
    const failures = (f: typeof first) => f.items.find((item) => item.action === 'failed_logon')?.count ?? 0;
    expect(failures(later)).toBe(failures(first) + 1);
  });
});
