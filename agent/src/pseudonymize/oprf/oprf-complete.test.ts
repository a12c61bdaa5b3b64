// OPRF mode for the agent's parts other than events, over real mutual TLS to a real gRPC
// server that evaluates with a key the agent never holds: a score's user and reason text, a
// command aimed at a local account this workstation never saw in an event, and the active
// session's user each wait for their tokens and get exactly what the key gives — never ''
// standing in for a late token, never a clear value. With the manager down they give up
// (TokensNotReady) after their deadline instead of answering something false.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentMessage, Score } from '@wardwatch/proto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scoringConfig } from '../../config/scoring-config';
import { scoringSettings } from '../../config/scoring-settings';
import { LiveScoring } from '../../scoring/live/live-scoring';
import { createKeyAndCsr } from '../../enrollment/csr';
import { createTestPki, type TestPki } from '../../enrollment/test-pki.fixture';
import { createMemoryLogger } from '../../logging/logger';
import { PasswdAccountResolver } from '../../response/account-resolver';
import { activeSessionUser } from '../../response/session-user';
import { toScoreMessage } from '../../scoring/live/score-message';
import { createSessionClient } from '../../transport/grpc-clients';
import { TestManager } from '../../transport/test-manager.fixture';
import { Pseudonymizer, TokensNotReady } from '../pseudonymizer';
import { expected, ransomwareWrite, scoreOf, secretKey } from './oprf-test-kit.fixture';
import { pseudonymMode } from './pseudonym-mode';

let pki: TestPki;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  pki = await createTestPki();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A manager evaluating under `secretKey` (or none listening), and the agent's OPRF half without a key. */
async function setUp(managerUp: boolean) {
  const manager = new TestManager(pki);
  manager.oprfKey = secretKey;
  await manager.listen();
  const port = manager.port;
  if (managerUp) cleanups.push(() => manager.stop());
  else await manager.stop();
  const keys = await createKeyAndCsr('agent-9');
  const identity = {
    agentId: 'agent-9',
    privateKeyPem: keys.privateKeyPem,
    certificatePem: await pki.signCsr(keys.csrPem, 'agent-9'),
    caPem: pki.caPem,
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-oprf-complete-'));
  const client = createSessionClient(`127.0.0.1:${port}`, identity);
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
  return { manager, dataDir, mode, pseudonymizer: new Pseudonymizer(mode.source) };
}

describe('OPRF mode: parts that need a token wait for it', () => {
  it("a score's user and reasons get the key's tokens once they arrive, never ''", async () => {
    const { pseudonymizer, manager } = await setUp(true);
    const build = () =>
      toScoreMessage(scoreOf('sister.ward', 80), {
        pseudonyms: pseudonymizer,
        host: 'ws12',
        config: scoringConfig(),
        modelSource: 'rules',
        now: 1,
      });
    // Not cached yet: the first run misses, and the result comes only after the evaluation.
    const made = pseudonymizer.complete(build);
    expect('later' in made).toBe(true);
    const score = 'later' in made ? await made.later : made.now;
    expect(score.user).toBe(expected('u', 'user', 'sister.ward'));
    const text = score.reasons[0].text;
    expect(text).toContain(expected('u', 'user', 'sister.ward'));
    expect(text).toContain(expected('ip', 'ip', '198.51.100.4'));
    expect(text).toMatch(/ p_[a-z]+_d\d+_[0-9a-f]{16}\.pdf$/);
    expect(JSON.stringify(score)).not.toMatch(/sister|ward|198\.51/);
    expect(manager.evaluated.length).toBeGreaterThanOrEqual(3);
    // Cached now: a second score is complete at once.
    expect('now' in pseudonymizer.complete(build)).toBe(true);
  }, 20_000);

  it('live scoring sends a critical score only once its user has the token', async () => {
    const { mode, dataDir } = await setUp(true);
    const phi = join(dataDir, 'records');
    const pseudonyms = new Pseudonymizer(mode.source, { folders: [{ path: phi, class: 'phi' }] });
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
    const t = Date.now();
    for (let i = 0; i < 6; i++) scoring.observe(ransomwareWrite(i, join(phi, `chart-${i}.docx.locked`), t + i * 10));
    const scores = () => written.flatMap((m) => (m.body?.$case === 'scores' ? m.body.value.scores : []));
    const score = await vi.waitFor(
      () => {
        const found = scores().find((s: Score) => s.ruleIds.includes('ransomware-burst'));
        if (!found) throw new Error('no ransomware score yet');
        return found;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(score.user).toBe(expected('u', 'user', 'nurse.jones'));
    for (const sent of scores()) expect(sent.user).toMatch(/^u_[0-9a-f]{16}$/);
    expect(JSON.stringify(scores())).not.toMatch(/nurse|jones|records/);
  }, 30_000);

  it('a score still waiting for its tokens at stop is kept on disk and sent, tokenised, after the restart', async () => {
    const down = await setUp(false);
    const phi = join(down.dataDir, 'records');
    const start = async (mode: typeof down.mode, dataDir: string) => {
      const scoring = new LiveScoring({
        settings: scoringSettings(),
        dataDir,
        host: 'ward3-ws12',
        pseudonyms: new Pseudonymizer(mode.source, { folders: [{ path: phi, class: 'phi' }] }),
        logger: createMemoryLogger(),
      });
      await scoring.start();
      return scoring;
    };
    const before = await start(down.mode, down.dataDir);
    const t = Date.now();
    for (let i = 0; i < 6; i++) before.observe(ransomwareWrite(i, join(phi, `chart-${i}.docx.locked`), t + i * 10));
    await before.stop(); // within the critical score's 2 s wait: it has no token yet
    const kept = join(down.dataDir, 'scoring', 'waiting-scores.ndjson');
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(readFileSync(kept, 'utf8')).toContain('ransomware-burst');

    const up = await setUp(true);
    mkdirSync(join(up.dataDir, 'scoring'), { recursive: true });
    copyFileSync(kept, join(up.dataDir, 'scoring', 'waiting-scores.ndjson'));
    const after = await start(up.mode, up.dataDir);
    cleanups.push(() => after.stop());
    const written: AgentMessage[] = [];
    after.channel.connected((message) => written.push(message) > 0);
    const score = await vi.waitFor(
      () => {
        const scores = written.flatMap((m) => (m.body?.$case === 'scores' ? m.body.value.scores : []));
        const found = scores.find((s: Score) => s.ruleIds.includes('ransomware-burst'));
        if (!found) throw new Error('no ransomware score yet');
        return found;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(score.user).toBe(expected('u', 'user', 'nurse.jones'));
    expect(JSON.stringify(score)).not.toMatch(/nurse|jones|records/);
    expect(existsSync(join(up.dataDir, 'scoring', 'waiting-scores.ndjson'))).toBe(false);
  }, 30_000);

  it('a command aimed at an account never seen in an event finds it by asking for the local accounts', async () => {
    const { pseudonymizer, dataDir, manager } = await setUp(true);
    const passwd = join(dataDir, 'passwd');
    writeFileSync(
      passwd,
      'root:x:0:0::/root:/bin/sh\nnurse1:x:1001:1001::/h:/bin/sh\nlocum7:x:1002:1002::/h:/bin/sh\n',
    );
    const resolver = new PasswdAccountResolver(
      (names) => pseudonymizer.completed(() => names.map((n) => pseudonymizer.user(n)), { timeoutMs: 10_000 }),
      passwd,
    );
    // The manager names locum7 by the token its key gives; nothing on this agent has asked for it.
    expect(await resolver.resolve(expected('u', 'user', 'locum7'))).toEqual({ name: 'locum7', uid: 1002 });
    // Both unseen accounts went in one call (root stays in clear: no token).
    expect(manager.evaluated).toHaveLength(2);
    expect(await resolver.resolve(expected('u', 'user', 'someone.else'))).toBeNull();
    expect(await resolver.resolve('root')).toEqual({ name: 'root', uid: 0 });
  }, 20_000);

  it("the active session's user is its token", async () => {
    const { pseudonymizer } = await setUp(true);
    const user = activeSessionUser(
      () => Promise.resolve([{ user: 'nurse.jones', tty: ':0', from: '', startMs: 0 }]),
      (name) => pseudonymizer.completed(() => pseudonymizer.user(name), { timeoutMs: 10_000 }),
    );
    expect(await user()).toBe(expected('u', 'user', 'nurse.jones'));
  }, 20_000);

  it('with the manager down each gives up after its deadline rather than answer falsely', async () => {
    const { pseudonymizer, dataDir } = await setUp(false);
    const passwd = join(dataDir, 'passwd');
    writeFileSync(passwd, 'locum7:x:1002:1002::/h:/bin/sh\n');
    const resolver = new PasswdAccountResolver(
      (names) => pseudonymizer.completed(() => names.map((n) => pseudonymizer.user(n)), { timeoutMs: 300 }),
      passwd,
    );
    await expect(resolver.resolve(expected('u', 'user', 'locum7'))).rejects.toBeInstanceOf(TokensNotReady);
    const stopping = new AbortController();
    const waiting = pseudonymizer.completed(() => pseudonymizer.user('nurse.jones'), { signal: stopping.signal });
    stopping.abort();
    await expect(waiting).rejects.toBeInstanceOf(TokensNotReady);
    const session = activeSessionUser(
      () => Promise.resolve([{ user: 'nurse.jones', tty: ':0', from: '', startMs: 0 }]),
      (name) => pseudonymizer.completed(() => pseudonymizer.user(name), { timeoutMs: 200 }),
    );
    await expect(session()).rejects.toBeInstanceOf(TokensNotReady);
  }, 20_000);
});
