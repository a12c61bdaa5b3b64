// GET /metrics over real HTTP on whole managers: several in one process keep their
// numbers apart, a scraper on this host is answered, a token is asked for when one
// is configured, and a caller from another address is refused without one.
import { networkInterfaces } from 'node:os';
import { logonEvent } from '../testing/login-event.fixture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventIngestService } from '../events/event-ingest.service';
import { httpsRequest, managerCaPem } from '../testing/https-request.fixture';
import { TEST_ADMIN_PASSWORD, startTestManager, type TestManager } from '../testing/test-manager.fixture';

const TOKEN = 'metrics-token-0123456789abcdef';

const scrape = (manager: TestManager, headers: Record<string, string> = {}) =>
  fetch(`${manager.httpUrl}/metrics`, { headers });

/** The value of one sample line, e.g. `wardwatch_events_total{outcome="stored"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function externalIPv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

describe('GET /metrics', () => {
  let first: TestManager;
  let second: TestManager;

  beforeAll(async () => {
    first = await startTestManager();
    second = await startTestManager({ env: { WARDWATCH_METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  it('serves Prometheus text to a loopback scraper, counting this manager only', async () => {
    await first.app.get(EventIngestService).ingest('agent-m', 'ward1', {
      sequence: 1,
      dropped: { 'queue_full.low.file': 4, 'evil\n{label="x"}': 1 },
      events: [logonEvent('m-1')],
    });
    const response = await scrape(first);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'wardwatch_events_total{outcome="stored"}')).toBe(1);
    expect(sample(text, 'wardwatch_event_batches_total{outcome="stored"}')).toBe(1);
    expect(sample(text, 'wardwatch_event_batch_duration_seconds_count')).toBe(1);
    expect(sample(text, 'wardwatch_agent_dropped_events_total{reason="queue_full",class="low",category="file"}')).toBe(
      4,
    );
    expect(sample(text, 'wardwatch_agent_dropped_events_total{reason="other",class="other",category="other"}')).toBe(1);
    expect(sample(text, 'wardwatch_db_transaction_duration_seconds_count{outcome="commit"}')).toBeGreaterThan(0);
    expect(sample(text, 'wardwatch_agent_sessions')).toBe(0);
    expect(sample(text, 'wardwatch_db_up')).toBe(1);
    expect(sample(text, 'wardwatch_db_probe_duration_seconds_count')).toBe(1);
    expect(text).toContain('process_cpu_user_seconds_total');

    const other = await (await scrape(second, { authorization: `Bearer ${TOKEN}` })).text();
    expect(sample(other, 'wardwatch_events_total{outcome="stored"}') ?? 0).toBe(0);
  });

  it('counts the dashboard’s open live-event streams', async () => {
    const login = await fetch(`${first.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const viewers = async () => sample(await (await scrape(first)).text(), 'wardwatch_sse_subscribers');
    expect(await viewers()).toBe(0);
    const abort = new AbortController();
    const stream = await fetch(`${first.httpUrl}/api/v1/events/stream`, { headers: { cookie }, signal: abort.signal });
    expect(stream.status).toBe(200);
    expect(await viewers()).toBe(1);
    abort.abort();
    const deadline = Date.now() + 5_000;
    while ((await viewers()) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await viewers()).toBe(0);
  });

  it('asks for the bearer token when one is configured, even on loopback', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: TOKEN },
    ];
    for (const headers of attempts) {
      const response = await scrape(second, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/json');
    }
    expect((await scrape(second, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  const external = externalIPv4();
  it.skipIf(external === undefined)('refuses a caller from another address when no token is configured', async () => {
    // Beyond loopback the manager serves TLS, with its CA's certificate naming this address.
    const open = await startTestManager({ env: { WARDWATCH_HTTP_HOST: external!, WARDWATCH_TLS_SANS: external! } });
    try {
      const response = await httpsRequest(`${open.httpUrl}/metrics`, { ca: managerCaPem(open.config.dataDir) });
      expect(response.status).toBe(403);
      const body = JSON.parse(response.text) as { message: string };
      expect(body.message).toContain('WARDWATCH_METRICS_TOKEN');
    } finally {
      await open.stop();
    }
  });
});
