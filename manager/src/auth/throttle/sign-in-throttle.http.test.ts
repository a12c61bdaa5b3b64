// Sign-in throttling through the real HTTP edge: a 429 carries Retry-After, and
// X-Forwarded-For decides the source only because the peer (loopback here) is a
// configured trusted proxy, read from the right so that a forged left entry is ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestManager, TEST_ADMIN_PASSWORD, type TestManager } from '../../testing/test-manager.fixture';

describe('sign-in throttling over HTTP', () => {
  let manager: TestManager;
  beforeAll(async () => {
    manager = await startTestManager({
      env: {
        WARDWATCH_TRUSTED_PROXIES: '127.0.0.1, ::1',
        WARDWATCH_LOGIN_SOURCE_BURST: '2',
        WARDWATCH_LOGIN_SOURCE_PER_MINUTE: '1',
        WARDWATCH_LOGIN_BACKOFF_MAX_SECONDS: '900',
      },
    });
  }, 120_000);
  afterAll(async () => manager?.stop());

  const login = (username: string, password: string, forwardedFor: string) =>
    fetch(`${manager.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username, password }),
    });

  it('limits each forwarded source, not the proxy, and ignores forged left entries', async () => {
    expect((await login('nobody1', 'x', '203.0.113.9')).status).toBe(401);
    expect((await login('nobody2', 'x', '203.0.113.9')).status).toBe(401);
    const limited = await login('nobody3', 'x', '1.1.1.1, 203.0.113.9');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await login('nobody4', 'x', '203.0.113.10')).status).toBe(401);
  }, 120_000);

  it('backs the account off for every address, with Retry-After, then lets the owner in', async () => {
    const sources = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4'];
    for (const source of sources) expect((await login('admin', 'wrong password', source)).status).toBe(401);
    // The fourth failure blocked the account for 1 s; after it, a fifth blocks it for 2 s.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await login('admin', 'wrong password', '198.51.100.5')).status).toBe(401);
    const refused = await login('admin', TEST_ADMIN_PASSWORD, '198.51.100.99');
    expect(refused.status).toBe(429);
    expect(['1', '2']).toContain(refused.headers.get('retry-after'));
    expect(((await refused.json()) as { code: string }).code).toBe('rate_limited');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await login('admin', TEST_ADMIN_PASSWORD, '198.51.100.99')).status).toBe(200);
  }, 120_000);
});
