// A real manager issuing certificates of twenty seconds and a real agent, as
// processes: the agent renews before each expiry, keeps reporting past the first
// certificate's end, and a restarted agent connects with the renewed one.
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { AgentPage } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '../../scripts/lib/child-process';
import { startAgent } from '../../scripts/lib/wardwatch';
import { eventFinder, eventually, signIn, startFleet, type Fleet } from '../support/fleet';

// Long enough for an agent starting on a busy machine (~7 s here) to reach two thirds of it.
const LIFETIME_S = 20;

describe('certificate renewal between a real manager and agent', () => {
  let fleet: Fleet;
  let restarted: ServiceProcess | undefined;
  let get: (path: string) => Promise<Response>;

  beforeAll(async () => {
    fleet = await startFleet({
      managerEnv: {
        WARDWATCH_AGENT_CERT_LIFETIME_SECONDS: String(LIFETIME_S),
        WARDWATCH_AGENT_RENEW_MIN_INTERVAL_SECONDS: '1',
      },
    });
    get = await signIn(fleet.manager.httpUrl);
  }, 120_000);
  afterAll(async () => {
    await restarted?.stop();
    await fleet?.stop();
  });

  const certFile = () => join(fleet.agentDataDir, 'agent-cert.pem');
  const renewals = (agent: ServiceProcess) =>
    agent.output.filter((line) => line.includes('"msg":"agent certificate renewed"')).length;

  it('renews before expiry, keeps sending events after the first certificate expired, and reconnects with the renewed one', async () => {
    const first = new X509Certificate(readFileSync(certFile()));
    const firstExpiry = Date.parse(first.validTo);
    expect(firstExpiry - Date.now()).toBeLessThanOrEqual(LIFETIME_S * 1_000);

    await eventually(() => (renewals(fleet.agent) >= 1 ? true : undefined), 25_000, 'a renewal');
    expect(Date.now()).toBeLessThan(firstExpiry);
    const renewed = new X509Certificate(readFileSync(certFile()));
    expect(renewed.fingerprint256).not.toBe(first.fingerprint256);
    expect(renewed.subject).toBe(first.subject);
    expect(Date.parse(renewed.validTo)).toBeGreaterThan(firstExpiry);
    for (const file of ['agent-cert.pem', 'agent-key.pem'])
      expect(statSync(join(fleet.agentDataDir, file)).mode & 0o777).toBe(0o600);

    // Past the first certificate's expiry, events still arrive.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstExpiry - Date.now()) + 1_000));
    const now = new Date();
    const stamp =
      now.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' }) +
      ` ${String(now.getUTCDate()).padStart(2, ' ')} ${now.toISOString().slice(11, 19)}`;
    appendFileSync(
      fleet.authLog,
      `${stamp} ward3-ws12 sshd[4343]: Failed password for nurse.renew from 203.0.113.9 port 52115 ssh2\n`,
    );
    await eventFinder(get)('category=login', (e) => e.action === 'failed_logon');

    // A new process reads the renewed pair from disk and opens its Session with it.
    await fleet.agent.stop();
    restarted = startAgent(fleet.agentConfig);
    await restarted.waitForLog((line) => line.msg === 'agent connected', 30_000);
    const agents = AgentPage.parse(await (await get('/api/v1/agents')).json()).items;
    expect(agents).toHaveLength(1);
    await eventually(
      async () =>
        AgentPage.parse(await (await get('/api/v1/agents')).json()).items[0].status === 'online' ? true : undefined,
      10_000,
      'the agent online again',
    );
    expect(restarted.output.join('\n')).not.toMatch(/must be enrolled again|refused to renew/);
  }, 90_000);
});
