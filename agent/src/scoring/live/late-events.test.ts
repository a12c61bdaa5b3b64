// Late events in the running agent: a backlog dated before the current window is scored in
// windows of its own; what is older than `lateEventDays` is counted, logged once per period
// and shown in the status the real local API returns.
import { mkdtemp, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Event } from '@wardwatch/proto';
import { AgentStatus, Backoff } from '@wardwatch/shared';
import { createJsonLogger, createMemoryLogger } from '../../logging/logger';
import { LocalApiServer } from '../../local-api/local-api-server';
import { MemoryOutbox } from '../../outbox/memory-outbox';
import { RecentEvents } from '../../pipeline/recent-events';
import { Pseudonymizer } from '../../pseudonymize/pseudonymizer';
import { StatusTracker } from '../../status/status-tracker';
import { scoringConfig } from '../../config/scoring-config';
import { scoringSettings } from '../../config/scoring-settings';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { LATE_LOG_INTERVAL_MS, LiveScoring } from './live-scoring';
import { login as loginAt } from './login-event.fixture';
import { WorkstationScorer } from './workstation-scorer';

const DAY = 86_400_000;
const TODAY = Date.UTC(2026, 11, 2);
const YESTERDAY = TODAY - DAY;

const login = (timeMs: number, action: string, user: string): Event =>
  loginAt(timeMs, action, user, `e${timeMs}${user}`);

const openScorer = async (dataDir: string, now: number) =>
  WorkstationScorer.open({
    dataDir,
    host: 'ward3-ws12',
    rules: await loadRules(DEFAULT_RULES_DIR),
    config: scoringConfig(),
    utcOffsetMinutes: 0,
    lateWindowMs: 2 * DAY,
    now: () => now,
  });

describe('late events in live scoring', () => {
  it("scores a backlog of yesterday, fed after today's events, in yesterday's windows", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-late-'));
    const now = TODAY + 10 * 3_600_000;
    const scorer = await openScorer(dataDir, now);
    expect(scorer.observe(login(TODAY + 8 * 3_600_000, 'logon', 'nurse.a'))).toEqual([]);
    // The backlog: a day shift of nurse.b and a password burst against nurse.a, yesterday.
    const backlog = [
      login(YESTERDAY + 8 * 3_600_000, 'logon', 'nurse.b'),
      ...Array.from({ length: 12 }, (_, i) => login(YESTERDAY + 14 * 3_600_000 + i * 1_000, 'failed_logon', 'nurse.a')),
      login(YESTERDAY + 16 * 3_600_000, 'logoff', 'nurse.b'),
    ];
    for (const event of backlog) scorer.observe(event);
    // The first tick after the backlog still sees it arriving; the next one closes its windows.
    expect(scorer.advanceTo(now)).toEqual([]);
    const scores = scorer.advanceTo(now + 60_000);
    expect(scores.map((s) => [s.user, s.start]).sort()).toEqual([
      ['nurse.a', YESTERDAY],
      ['nurse.b', YESTERDAY],
    ]);
    // The burst's rule hit waited for its late window.
    expect(scores.find((s) => s.user === 'nurse.a')?.ruleIds).toEqual(['brute-force']);
    expect(scorer.stats()).toMatchObject({ lateScored: backlog.length, lateEvents: 0 });
    // Today's window is still open and scores on its own.
    expect(scorer.flush().map((s) => [s.user, s.start])).toEqual([['nurse.a', TODAY]]);
    await scorer.close();

    // After a restart the replayed backlog is learned from, not scored a second time.
    const again = await openScorer(dataDir, now);
    // The replay's late events were counted in the last run, not again.
    expect(again.stats()).toMatchObject({ lateScored: 0, lateEvents: 0 });
    again.advanceTo(now + 60_000);
    expect(again.advanceTo(now + 120_000)).toEqual([]);
    expect(again.flush().map((s) => [s.user, s.start])).toEqual([['nurse.a', TODAY]]);
    await again.close();
  });

  it('counts events older than the bound in the status the local API returns, and logs them once per period', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-late-api-'));
    let now = TODAY + 10 * 3_600_000;
    const lines: Record<string, unknown>[] = [];
    const scoring = new LiveScoring({
      settings: scoringSettings({ lateEventDays: 1, utcOffsetMinutes: 0 }),
      dataDir,
      host: 'ward3-ws12',
      pseudonyms: new Pseudonymizer(Buffer.alloc(32, 3)),
      logger: createJsonLogger({ write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
      now: () => now,
      tickMs: 10,
    });
    const outbox = new MemoryOutbox({ capacity: 10 });
    const status = new StatusTracker({
      version: '0.1.0',
      managerAddress: 'mgr:50051',
      outboxStats: () => outbox.stats(),
      scoring: () => scoring.statusView(),
    });
    const api = new LocalApiServer({
      dataDir,
      port: 0,
      status: () => status.snapshot(),
      recent: () => new RecentEvents().list(),
      logger: createMemoryLogger(),
      backoff: new Backoff({ baseMs: 10, maxMs: 50 }),
    });
    const port = (await api.start()) ?? -1;
    const token = (await readFile(join(dataDir, 'local-api.token'), 'utf8')).trim();
    try {
      await scoring.start();
      scoring.observe(login(TODAY + 8 * 3_600_000, 'logon', 'nurse.a'));
      // Three days back with a bound of one: not scored, counted.
      for (let i = 0; i < 3; i++) scoring.observe(login(TODAY - 3 * DAY + i, 'logon', 'nurse.b'));
      scoring.observe(login(YESTERDAY + 3_600_000, 'logon', 'nurse.b'));
      const warned = () => lines.filter((l) => String(l.msg).startsWith('late events not scored'));
      await waitFor(() => warned().length === 1);
      expect(warned()[0]).toMatchObject({ level: 'warn', byReason: { beyond_late_bound: 3 }, lateEventDays: 1 });

      const body = AgentStatus.parse(await getJson(port, token, '/v1/status'));
      expect(body.scoring?.late).toEqual({
        scored: 1,
        notScored: 3,
        notScoredByReason: { beyond_late_bound: 3, too_many_late_windows: 0 },
      });

      // More of them within the period: counted at once, logged no more often than once per period.
      scoring.observe(login(TODAY - 5 * DAY, 'logon', 'nurse.b'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(warned()).toHaveLength(1);
      const later = AgentStatus.parse(await getJson(port, token, '/v1/status'));
      expect(later.scoring?.late.notScored).toBe(4);
      now += LATE_LOG_INTERVAL_MS;
      await waitFor(() => warned().length === 2);
      expect(warned()[1]).toMatchObject({ byReason: { beyond_late_bound: 1 } });
    } finally {
      await scoring.stop();
      await api.stop();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function getJson(port: number, token: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(text))));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
