// Analysts' verdicts over a real Session stream (grpc-js over TLS, a stand-in manager built
// from the generated service): the agent's score goes up, the manager's ScoreVerdicts comes
// down, reaches LiveScoring through its channel and is kept in verdicts.json; sent again on
// the next stream after Hello, it changes nothing.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Verdict, type Event, type ManagerMessage, type Score } from '@wardwatch/proto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scoringSettings } from '../../config/scoring-settings';
import { enrollOverLoopback } from '../../enrollment/enroll-over-loopback.fixture';
import { createTestPki, type TestPki } from '../../enrollment/test-pki.fixture';
import { createMemoryLogger } from '../../logging/logger';
import { Pseudonymizer } from '../../pseudonymize/pseudonymizer';
import { createSessionClient } from '../../transport/grpc-clients';
import { TestManager, until } from '../../transport/test-manager.fixture';
import { LiveScoring } from './live-scoring';
import { login } from './login-event.fixture';
import { testSession } from '../../transport/test-session.fixture';

const T0 = Date.UTC(2026, 11, 1, 10);

const failedLogon = (i: number): Event => login(T0 + i * 1_000, 'failed_logon', 'nurse.jones', `e${i}`);

let pki: TestPki;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  pki = await createTestPki();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('ScoreVerdicts over a real Session stream', { timeout: 20_000 }, () => {
  it('keeps the verdict on the score it sent, and takes it again after the next Hello as a repeat', async () => {
    const manager = new TestManager(pki);
    await manager.listen();
    cleanups.push(() => manager.stop());
    const address = `127.0.0.1:${manager.port}`;
    const identity = await enrollOverLoopback({
      port: manager.port,
      caPem: pki.caPem,
      token: 'wwet_good',
      hostname: 'ws12',
    });

    const dataDir = await mkdtemp(join(tmpdir(), 'ww-verdicts-session-'));
    const logger = createMemoryLogger();
    const scoring = new LiveScoring({
      settings: scoringSettings(),
      dataDir,
      host: 'ws12',
      pseudonyms: new Pseudonymizer(Buffer.alloc(32, 3)),
      logger,
      now: () => T0 + 60_000,
    });
    await scoring.start();
    cleanups.push(() => scoring.stop());
    const session = testSession({
      managerAddress: address,
      createClient: () => createSessionClient(address, identity),
      logger,
      channels: [scoring.channel],
    });
    session.start();
    cleanups.push(() => session.stop(0));
    await until(() => session.isConnected, 'the session');

    for (let i = 0; i < 12; i++) scoring.observe(failedLogon(i));
    const sent = (): Score[] =>
      manager.received.flatMap((m) => (m.body?.$case === 'scores' ? m.body.value.scores : []));
    await until(() => sent().length > 0, 'the score');
    const [score] = sent();
    const verdicts: ManagerMessage = {
      body: {
        $case: 'scoreVerdicts',
        value: {
          verdicts: [
            {
              scoreId: score.id,
              windowStartMs: score.windowStartMs,
              user: score.user,
              verdict: Verdict.VERDICT_FALSE_POSITIVE,
              decidedAtMs: T0 + 30_000,
            },
          ],
        },
      },
    };
    const applied = () => logger.lines.filter((l) => l.msg === "analysts' verdicts applied");
    manager.streams[0].write(verdicts);
    await until(() => applied().length === 1, 'the verdict to be applied');
    expect(applied()[0]).toMatchObject({ received: 1, matched: 1, changed: 1, unknown: 0, held: 1 });
    const file = join(dataDir, 'scoring', 'verdicts.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      verdicts: [{ scoreId: score.id, user: 'nurse.jones', verdict: 'VERDICT_FALSE_POSITIVE' }],
    });

    // The stream breaks; after the new Hello the manager sends the last 30 days again.
    manager.streams[0].end();
    await until(() => manager.streams.length === 2 && session.isConnected, 'the new stream');
    manager.streams[1].write(verdicts);
    await until(() => applied().length === 2, 'the repeat');
    expect(applied()[1]).toMatchObject({ matched: 1, changed: 0, held: 1 });
    expect(JSON.stringify(applied())).not.toContain('nurse.jones');
  });
});
