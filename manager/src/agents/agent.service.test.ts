import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAgentRepository } from '../testing/fakes/agent.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeTransactionRunner } from '../testing/fakes/fakes';
import { AgentSessionsRegistry } from './agent-sessions.registry';
import type { AgentEntity } from './agent.entity';
import { AgentService } from './agent.service';

const agent = (id: string, status: AgentEntity['status'] = 'offline'): AgentEntity => ({
  id,
  hostname: `host-${id}`,
  os: 'linux',
  osVersion: '6',
  version: '0.1.0',
  status,
  enrolledAt: 1,
  lastSeenAt: null,
  certFingerprint: 'sha256:x',
  stats: null,
});

function sut(agents: AgentEntity[] = [agent('a1')]) {
  const repo = new InMemoryAgentRepository();
  repo.rows = agents;
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([repo, auditRows]));
  const clock = new FakeClock(7_000);
  const sessions = new AgentSessionsRegistry();
  const service = new AgentService(
    fake(repo),
    transactions,
    clock,
    new AuditService(fake(auditRows), transactions, clock, testAuditKeyring()),
    sessions,
  );
  return { service, repo, auditRows, sessions, clock };
}

describe('AgentService', () => {
  it('marks an agent online with its versions, and offline when its last stream ends', async () => {
    const { service, repo, sessions, auditRows } = sut();
    const outcome = await service.markOnline('a1', {
      hostname: 'HOST-A1',
      os: 'linux',
      osVersion: '6.2',
      agentVersion: '0.2.0',
    });
    expect(outcome).toEqual({ mismatch: false });
    expect(repo.rows[0]).toMatchObject({ status: 'online', hostname: 'host-a1', version: '0.2.0', lastSeenAt: 7_000 });
    expect(auditRows.actions()).toEqual([]);
    const live = { close: () => undefined, send: () => false };
    sessions.add('a1', live);
    await service.markOffline('a1');
    expect(repo.rows[0].status).toBe('online');
    sessions.remove('a1', live);
    await service.markOffline('a1');
    expect(repo.rows[0].status).toBe('offline');
  });

  it('never applies another host name or OS; records and audits each distinct claim once', async () => {
    const { service, repo, auditRows } = sut();
    const claim = { hostname: 'ward1-ws01', os: 'win32', osVersion: '10', agentVersion: '0.1.0' };
    expect(await service.markOnline('a1', claim)).toEqual({ mismatch: true });
    expect(await service.markOnline('a1', claim)).toEqual({ mismatch: true });
    expect(repo.rows[0]).toMatchObject({
      hostname: 'host-a1',
      os: 'linux',
      claimedHostname: 'ward1-ws01',
      claimedOs: 'win32',
      identityMismatchAt: 7_000,
    });
    await service.markOnline('a1', { ...claim, os: 'linux' });
    expect(repo.rows[0]).toMatchObject({ claimedHostname: 'ward1-ws01', claimedOs: null, identityMismatchAt: 7_000 });
    expect(auditRows.actions()).toEqual(['agent.identity_mismatch', 'agent.identity_mismatch']);
  });

  it('keeps a revoked agent revoked whatever it reports', async () => {
    const { service, repo } = sut([agent('a1', 'revoked')]);
    await service.markOnline('a1', undefined);
    await service.markAllOffline();
    expect(repo.rows[0].status).toBe('revoked');
  });

  it('marks every online agent offline at start except those whose stream it already holds', async () => {
    const { service, repo, sessions } = sut([agent('a1', 'online'), agent('a2', 'online'), agent('a3', 'revoked')]);
    sessions.add('a2', { close: () => undefined, send: () => false });
    await service.markAllOffline();
    expect(repo.rows.map((a) => [a.id, a.status])).toEqual([
      ['a1', 'offline'],
      ['a2', 'online'],
      ['a3', 'revoked'],
    ]);
  });

  it('revokes with an audit row and ends the live streams', async () => {
    const { service, auditRows, sessions } = sut();
    const closed: string[] = [];
    sessions.add('a1', { close: (reason) => closed.push(reason), send: () => false });
    expect(await service.revoke('a1', 'admin')).toMatchObject({ status: 'revoked' });
    expect(auditRows.rows.map((r) => [r.actor, r.action, r.target])).toEqual([['admin', 'agent.revoke', 'a1']]);
    expect(closed).toEqual(['agent revoked']);
  });

  it('sets tags and unit with an agent.update audit row holding before and after', async () => {
    const { service, auditRows, repo } = sut();
    await service.updateLabels('a1', { tags: ['icu', 'shared-clinical'], unit: 'Ward 3' }, 'admin');
    await service.updateLabels('a1', { unit: null }, 'alice.admin');
    expect(repo.rows[0]).toMatchObject({ tags: ['icu', 'shared-clinical'], unit: null });
    expect(auditRows.rows.map((r) => [r.actor, r.action, r.target, r.details])).toEqual([
      [
        'admin',
        'agent.update',
        'a1',
        { before: { tags: [], unit: null }, after: { tags: ['icu', 'shared-clinical'], unit: 'Ward 3' } },
      ],
      [
        'alice.admin',
        'agent.update',
        'a1',
        {
          before: { tags: ['icu', 'shared-clinical'], unit: 'Ward 3' },
          after: { tags: ['icu', 'shared-clinical'], unit: null },
        },
      ],
    ]);
  });

  it('says not_found for an unknown agent', async () => {
    await expect(sut().service.get('nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps a heartbeat within bounds, and only the time seen of one outside them', async () => {
    const { service, clock } = sut();
    const stats = {
      eventsSent: 9,
      eventsDropped: 2,
      queueLength: 1,
      cpuPercent: 0.5,
      rssBytes: 1_000,
      droppedByReason: { 'queue_full.low.file': 2 },
      outboxBytes: 512,
      reads: { seen: 8, reported: 3, repeated: 4, unattended: 1, ignoredExecutable: 0, overLimit: 0 },
    };
    const failed = { name: 'collector.logins', state: 'failed', message: 'EACCES', sinceMs: 3 };
    expect(await service.recordHeartbeat('a1', { timeMs: 0, stats, components: [failed] })).toEqual({ stored: true });
    const first = await service.get('a1');
    expect(first).toMatchObject({
      lastSeenAt: 7_000,
      heartbeatAt: 7_000,
      droppedByReason: { 'queue_full.low.file': 2 },
      components: [failed],
      reads: stats.reads,
    });
    expect(first.stats).toEqual({
      eventsSent: 9,
      eventsDropped: 2,
      queueLength: 1,
      cpuPercent: 0.5,
      rssBytes: 1_000,
      outboxBytes: 512,
    });

    clock.advance(1_000);
    const outcome = await service.recordHeartbeat('a1', {
      timeMs: 0,
      stats,
      components: [{ ...failed, state: 'exploded' }],
    });
    expect(outcome).toEqual({ stored: false, reason: expect.stringMatching(/components\.0\.state/) as string });
    const second = await service.get('a1');
    expect(second.lastSeenAt).toBe(8_000);
    expect(second.heartbeatAt).toBe(7_000);
    expect(second.components).toEqual([failed]);
  });
});
