import type { ResponseStatus } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import type { ResponseResult } from '../../common/ipc-channels';
import { LocalApiError } from '../local-api/local-api-error';
import { ResponseService, type ResponseSource } from './response-service';

const idle: ResponseStatus = {
  commandsEnabled: true,
  dryRun: false,
  actions: [],
  breakGlass: { active: false, reason: null, since: null, until: null },
  maintenance: { active: false, reason: null, until: null },
};

/** A source over one in-memory status that the requests change, as the agent would. */
function sut(overrides: Partial<ResponseSource> = {}) {
  let state = structuredClone(idle);
  const source: ResponseSource = {
    getResponse: () => Promise.resolve(structuredClone(state)),
    declareBreakGlass: (request) => {
      state.breakGlass = { active: true, reason: request.reason, since: 10, until: 10 + request.minutes * 60_000 };
      return Promise.resolve(state.breakGlass);
    },
    endBreakGlass: () => Promise.resolve((state.breakGlass = idle.breakGlass)),
    startMaintenance: () => Promise.reject(new LocalApiError('refused', 'maintenance code refused: expired')),
    endMaintenance: () => Promise.resolve(idle.maintenance),
    undo: () => Promise.reject(new Error('socket hang up')),
    openSealed: (request) =>
      request.code.startsWith('GOOD')
        ? Promise.resolve({ out: '/home/nurse/WardWatch-opened/referral.pdf', policyVersion: 3 })
        : Promise.reject(new LocalApiError('refused', 'maintenance code refused: expired')),
    ...overrides,
  };
  const problems: unknown[] = [];
  const requests: unknown[] = [];
  const service = new ResponseService({
    source,
    now: () => 7,
    onProblem: (p) => problems.push(p),
    onRequest: (r) => requests.push(r),
  });
  const seen: ResponseResult[] = [];
  service.subscribe((r) => seen.push(r));
  return { service, problems, requests, seen, reset: () => (state = structuredClone(idle)) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ResponseService', () => {
  it('reads the response status, remembers it and tells listeners; concurrent refreshes share one read', async () => {
    let reads = 0;
    const { service, seen } = sut({ getResponse: () => Promise.resolve({ ...idle, dryRun: ++reads > 1 }) });
    expect(service.current()).toBeNull();
    const [a, b] = await Promise.all([service.refresh(), service.refresh()]);
    expect(a).toBe(b);
    expect(reads).toBe(1);
    expect(service.current()).toEqual({ ok: true, fetchedAt: 7, response: idle });
    expect(seen).toHaveLength(1);
  });

  it('declares break-glass, logs the accepted request, and reads the status again for the page and icon', async () => {
    const { service, requests, seen } = sut();
    const result = await service.declareBreakGlass({ reason: 'code blue, bed 4', minutes: 30 });
    expect(result).toEqual({
      ok: true,
      fetchedAt: 7,
      breakGlass: { active: true, reason: 'code blue, bed 4', since: 10, until: 10 + 30 * 60_000 },
    });
    expect(requests).toEqual([{ call: 'declare break-glass' }]);
    await settle();
    expect(seen.at(-1)).toMatchObject({ ok: true, response: { breakGlass: { active: true } } });
    expect((await service.endBreakGlass()).ok).toBe(true);
  });

  it("answers a refusal as a problem with the agent's words, never a throw, and refreshes anyway", async () => {
    const { service, problems, requests, seen } = sut();
    const refused = await service.startMaintenance({ reason: 'patching', minutes: 30, code: 'c'.repeat(20) });
    expect(refused).toEqual({
      ok: false,
      fetchedAt: 7,
      problem: { code: 'refused', message: 'maintenance code refused: expired' },
    });
    expect(problems).toEqual([
      { call: 'start maintenance', code: 'refused', message: 'maintenance code refused: expired' },
    ]);
    expect(JSON.stringify(problems)).not.toContain('cccc');
    expect(requests).toEqual([]);
    await settle();
    expect(seen).toHaveLength(1);
  });

  it('words an unexpected error as a bad response', async () => {
    const { service } = sut();
    expect(await service.undo({ commandId: 'c1', code: 'c'.repeat(20) })).toMatchObject({
      ok: false,
      problem: { code: 'bad-response', message: 'unexpected error: socket hang up' },
    });
  });

  it('passes a failed status read on as a problem', async () => {
    const { service, seen } = sut({
      getResponse: () => Promise.reject(new LocalApiError('not-available', 'no response side')),
    });
    await service.refresh();
    expect(seen).toEqual([
      { ok: false, fetchedAt: 7, problem: { code: 'not-available', message: 'no response side' } },
    ]);
  });

  it("opens a sealed file: the copy's path for the page, the log told the call only (never path or code)", async () => {
    const { service, problems, requests } = sut();
    const path = '/home/nurse/Scans/referral.pdf.wwsealed';
    expect(await service.openSealed({ path, reason: 'GP letter', code: 'GOOD-code-0123456789' })).toEqual({
      ok: true,
      fetchedAt: 7,
      opened: { out: '/home/nurse/WardWatch-opened/referral.pdf', policyVersion: 3 },
    });
    expect(await service.openSealed({ path, reason: 'GP letter', code: 'BAD-code-0123456789' })).toEqual({
      ok: false,
      fetchedAt: 7,
      problem: { code: 'refused', message: 'maintenance code refused: expired' },
    });
    expect(requests).toEqual([{ call: 'open sealed file' }]);
    expect(problems).toEqual([
      { call: 'open sealed file', code: 'refused', message: 'maintenance code refused: expired' },
    ]);
    expect(JSON.stringify([requests, problems])).not.toMatch(/Scans|code-0123/);
  });
});
