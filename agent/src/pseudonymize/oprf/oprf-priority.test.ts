// The values a score waits for go to the manager before those of events, over real mutual TLS
// to a real gRPC server evaluating with a key the agent never holds: with a ransomware burst's
// file names spending the agent's rate, a score's tokens are asked in the very next call
// (marked priority) and arrive at once; with the manager unreachable, a critical score leaves
// after its bound with the missing tokens empty — never a clear value.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentMessage, Score } from '@wardwatch/proto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scoringConfig } from '../../config/scoring-config';
import { scoringSettings } from '../../config/scoring-settings';
import { createKeyAndCsr } from '../../enrollment/csr';
import { createTestPki, type TestPki } from '../../enrollment/test-pki.fixture';
import { createMemoryLogger } from '../../logging/logger';
import { LiveScoring } from '../../scoring/live/live-scoring';
import { CRITICAL_TOKEN_WAIT_MS } from '../../scoring/live/score-sender';
import { toScoreMessage } from '../../scoring/live/score-message';
import { createSessionClient } from '../../transport/grpc-clients';
import { TestManager, until } from '../../transport/test-manager.fixture';
import { Pseudonymizer } from '../pseudonymizer';
import { OprfTokens, type EvaluateOptions } from './oprf-tokens';
import { expected, oprf, ransomwareWrite, scoreOf, secretKey } from './oprf-test-kit.fixture';
import { pseudonymMode } from './pseudonym-mode';

let pki: TestPki;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  pki = await createTestPki();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A manager evaluating under `secretKey` with `budget` values for events' calls (or none listening). */
async function setUp(managerUp: boolean, budget?: number) {
  const manager = new TestManager(pki);
  manager.oprfKey = secretKey;
  manager.oprfBudget = budget;
  await manager.listen();
  if (managerUp) cleanups.push(() => manager.stop());
  else await manager.stop();
  const keys = await createKeyAndCsr('agent-9');
  const identity = {
    agentId: 'agent-9',
    privateKeyPem: keys.privateKeyPem,
    certificatePem: await pki.signCsr(keys.csrPem, 'agent-9'),
    caPem: pki.caPem,
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-oprf-priority-'));
  const client = createSessionClient(`127.0.0.1:${manager.port}`, identity);
  const mode = pseudonymMode({
    pseudonymKey: Buffer.alloc(0),
    dataDir,
    client: () => client,
    logger: createMemoryLogger(),
  });
  mode.start(() => 0);
  cleanups.push(() => {
    mode.stop();
    client.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  if (!(mode.source instanceof OprfTokens)) throw new Error('not in OPRF mode');
  const phi = join(dataDir, 'records');
  const pseudonyms = new Pseudonymizer(mode.source, { folders: [{ path: phi, class: 'phi' }] });
  return { manager, dataDir, phi, tokens: mode.source, pseudonyms };
}

describe('OPRF mode: a score is not queued behind a burst of events', () => {
  it('asks urgent values first, alone and marked priority; a value asked in both lanes is asked once', async () => {
    const calls: { values: number; priority: boolean }[] = [];
    // The manager's arithmetic with a real key, in process: the order of the calls is under test here.
    const evaluator = {
      evaluate: (blinded: Uint8Array[], options?: EvaluateOptions) => {
        calls.push({ values: blinded.length, priority: options?.priority === true });
        return Promise.resolve({ evaluated: blinded.map((b) => oprf.blindEvaluate(secretKey, b)), keyId: 'k' });
      },
    };
    const tokens = new OprfTokens({ batchSize: 4, maxUrgent: 3 });
    const pseudonyms = new Pseudonymizer(tokens);
    for (let i = 0; i < 10; i++) pseudonyms.user(`event.user${i}`);
    const made = pseudonyms.complete(() => [pseudonyms.user('event.user7'), pseudonyms.user('sister.ward')]);
    expect(tokens.stats).toMatchObject({ wanted: 9, urgent: 2 });
    expect(await tokens.fetch(evaluator)).toBe(2);
    expect(calls).toEqual([{ values: 2, priority: true }]);
    expect('later' in made && (await made.later)).toEqual([
      expected('u', 'user', 'event.user7'),
      expected('u', 'user', 'sister.ward'),
    ]);
    // Then events' values, in the order first asked.
    expect(await tokens.fetch(evaluator)).toBe(4);
    expect(pseudonyms.user('event.user0')).toBe(expected('u', 'user', 'event.user0'));
    expect(pseudonyms.user('event.user9')).toBe('');
    // The urgent lane is bounded: beyond it a value waits with the events', counted.
    pseudonyms.complete(() => ['a', 'b', 'c', 'd'].map((n) => pseudonyms.user(`over.${n}`)));
    expect(tokens.stats).toMatchObject({ urgent: 3, urgentOverflow: 1 });
  });

  it("with the events' backlog spending the rate, a score's tokens are evaluated in the next call", async () => {
    const { manager, phi, tokens, pseudonyms } = await setUp(true, 64);
    // A ransomware burst through 400 new folders (a path costs one value per new folder), more
    // than the manager lets this agent have now.
    for (let i = 0; i < 400; i++) expect(pseudonyms.path(join(phi, `case-${i}`, 'chart.docx'))).toBe('');
    await until(() => manager.evaluationCalls.some((c) => c.refused), 'a call refused for its rate');
    const callsBefore = manager.evaluationCalls.length;
    const started = Date.now();
    const score: Score = await pseudonyms.completed(
      () =>
        toScoreMessage(scoreOf('sister.ward', 95), {
          pseudonyms,
          host: 'ws12',
          config: scoringConfig(),
          modelSource: 'rules',
          now: 1,
        }),
      { timeoutMs: 10_000 },
    );
    const tookMs = Date.now() - started;
    // The next call to start carried the score's three values alone, marked priority, and was
    // served. An events' call already in flight when the score asked (a backoff retry, which a
    // loaded machine can line up with the score) may land first, refused: at most one.
    const after = manager.evaluationCalls.slice(callsBefore);
    const first = after.findIndex((c) => c.priority);
    expect(after[first]).toEqual({ values: 3, priority: true, refused: false });
    expect(first).toBeLessThanOrEqual(1);
    for (const call of after.slice(0, first)) expect(call).toMatchObject({ priority: false, refused: true });
    expect(tookMs).toBeLessThan(1_500);
    expect(score.user).toBe(expected('u', 'user', 'sister.ward'));
    expect(score.reasons[0].text).toContain(expected('ip', 'ip', '198.51.100.4'));
    // The events' backlog still waits on its rate: the score overtook it.
    expect(tokens.stats.wanted).toBeGreaterThan(300);
    // Nothing clear left: neither in the score nor in what the manager received.
    expect(JSON.stringify(score)).not.toMatch(/sister|198\.51|notes/);
    const wire = Buffer.concat(manager.evaluated);
    for (const clear of ['sister', 'chart', 'case-', 'records', '198.51']) expect(wire.includes(clear)).toBe(false);
  }, 30_000);

  it('with the manager unreachable, a critical score leaves after its bound with empty tokens, never clear', async () => {
    const { dataDir, phi, pseudonyms } = await setUp(false);
    const scoring = new LiveScoring({
      settings: scoringSettings(),
      dataDir,
      host: 'ward3-ws12',
      pseudonyms,
      logger: createMemoryLogger(),
    });
    cleanups.push(() => scoring.stop());
    await scoring.start();
    const written: AgentMessage[] = [];
    scoring.channel.connected((message) => written.push(message) > 0);
    const scores = () => written.flatMap((m) => (m.body?.$case === 'scores' ? m.body.value.scores : []));
    const t = Date.now();
    for (let i = 0; i < 6; i++) scoring.observe(ransomwareWrite(i, join(phi, `chart-${i}.docx.locked`), t + i * 10));
    const score = await vi.waitFor(
      () => {
        const found = scores().find((s: Score) => s.ruleIds.includes('ransomware-burst'));
        if (!found) throw new Error('no ransomware score yet');
        return found;
      },
      { timeout: 10_000, interval: 20 },
    );
    const waitedMs = Date.now() - t;
    expect(waitedMs).toBeGreaterThanOrEqual(CRITICAL_TOKEN_WAIT_MS - 100);
    expect(waitedMs).toBeLessThan(CRITICAL_TOKEN_WAIT_MS + 3_000);
    expect(score.user).toBe('');
    for (const reason of score.reasons) expect(reason.text.trim()).not.toBe('');
    expect(scoring.stats().sentWithoutTokens).toBe(1);
    // Every score sent so far: no clear user, path or folder.
    expect(JSON.stringify(scores())).not.toMatch(/nurse|jones|records|chart/);
    for (const sent of scores()) expect(sent.user === '' || /^u_[0-9a-f]{16}$/.test(sent.user)).toBe(true);
  }, 30_000);
});
