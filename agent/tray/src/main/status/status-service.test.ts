import type { AgentStatus } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import type { StatusResult } from '../../common/ipc-channels';
import type { RecentEventsBody } from '../local-api/local-api-client';
import { LocalApiError } from '../local-api/local-api-error';
import { StatusService, type AgentStatusSource } from './status-service';

const status: AgentStatus = {
  agentId: 'a',
  version: '0.1.0',
  manager: { address: 'm:1', connected: true, lastConnectedAt: null, lastError: null },
  lastEventAt: null,
  counts: { collected: 1, sent: 1, queued: 0, dropped: 0 },
  collectors: [],
  startedAt: 0,
};

function sut(source: Partial<AgentStatusSource>) {
  const problems: unknown[] = [];
  const service = new StatusService({
    source: {
      getStatus: source.getStatus ?? (() => Promise.resolve(status)),
      getRecentEvents: source.getRecentEvents ?? (() => Promise.resolve({ items: [] })),
    },
    now: () => 42,
    onProblem: (p) => problems.push(p),
  });
  return { service, problems };
}

describe('StatusService', () => {
  it('remembers the latest status and tells listeners', async () => {
    const { service } = sut({});
    const seen: StatusResult[] = [];
    const unsubscribe = service.subscribe((r) => seen.push(r));
    expect(service.current()).toBeNull();
    await service.refresh();
    unsubscribe();
    await service.refresh();
    expect(seen).toEqual([{ ok: true, fetchedAt: 42, status }]);
    expect(service.current()).toEqual({ ok: true, fetchedAt: 42, status });
  });

  it('turns a client error into a worded problem and reports it once', async () => {
    const { service, problems } = sut({
      getStatus: () => Promise.reject(new LocalApiError('unreachable', 'nothing answers on 127.0.0.1:47800')),
    });
    expect(await service.refresh()).toEqual({
      ok: false,
      fetchedAt: 42,
      problem: { code: 'unreachable', message: 'nothing answers on 127.0.0.1:47800' },
    });
    expect(problems).toEqual([{ call: 'status', code: 'unreachable', message: 'nothing answers on 127.0.0.1:47800' }]);
  });

  it('shares one fetch among overlapping refreshes', async () => {
    let calls = 0;
    const { service } = sut({
      getStatus: () => {
        calls++;
        return Promise.resolve(status);
      },
    });
    await Promise.all([service.refresh(), service.refresh(), service.refresh()]);
    expect(calls).toBe(1);
    await service.refresh();
    expect(calls).toBe(2);
  });

  it('lists recent events newest first', async () => {
    const body: RecentEventsBody = {
      items: [
        { id: 'old', timeMs: 1, category: 'file', action: 'write', summary: '' },
        { id: 'new', timeMs: 9, category: 'login', action: 'failure', summary: '' },
      ],
    };
    const { service } = sut({ getRecentEvents: () => Promise.resolve(body) });
    const result = await service.recentEvents();
    expect(result.ok && result.items.map((e) => e.id)).toEqual(['new', 'old']);
  });
});
