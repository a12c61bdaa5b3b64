import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  Severity,
  Verdict,
  type AgentMessage,
  type Event,
  type FleetModel,
  type ScoreVerdicts,
} from '@wardwatch/proto';
import { FEATURE_SET_VERSION, formatPortableLine } from '@wardwatch/shared';
import { simulate } from '../../../../scripts/simulator/simulate';
import { createJsonLogger } from '../../logging/logger';
import { Pseudonymizer } from '../../pseudonymize/pseudonymizer';
import { fitRiskModel } from '../model/fit-risk-model';
import { WindowPipeline } from '../windows/window-pipeline';
import { scoringConfig } from '../../config/scoring-config';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { scoringSettings } from '../../config/scoring-settings';
import { LiveScoring } from './live-scoring';
import { login } from './login-event.fixture';

const key = Buffer.alloc(32, 3);
const T0 = Date.UTC(2026, 11, 1, 10);

const failedLogon = (i: number, user = 'nurse.jones'): Event => login(T0 + i * 1_000, 'failed_logon', user, `e${i}`);

function harness(dataDir: string, settings = scoringSettings()) {
  const lines: Record<string, unknown>[] = [];
  const logger = createJsonLogger({
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    level: 'debug',
  });
  const scoring = new LiveScoring({
    settings,
    dataDir,
    host: 'ward3-ws12',
    pseudonyms: new Pseudonymizer(key),
    logger,
    now: () => T0 + 60_000,
  });
  const sent: AgentMessage[] = [];
  const batches = () => sent.flatMap((m) => (m.body?.$case === 'scores' ? [m.body.value] : []));
  return { scoring, lines, sent, batches };
}

describe('LiveScoring in the agent', () => {
  it('scores a brute-force burst, sends it pseudonymised with reasons, and keeps unacknowledged scores across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-live-scoring-'));
    const { scoring, sent, batches, lines } = harness(dataDir);
    // Events arriving while the scorer opens are held, then scored.
    scoring.observe(failedLogon(0));
    await scoring.start();
    for (let i = 1; i < 12; i++) scoring.observe(failedLogon(i));
    scoring.channel.connected((m) => sent.push(m) > 0);
    const [batch] = batches();
    expect(batch.scores).toHaveLength(1);
    const score = batch.scores[0];
    expect(score.user).toBe(new Pseudonymizer(key).user('nurse.jones'));
    expect(score.score).toBeGreaterThanOrEqual(score.threshold);
    expect(score).toMatchObject({
      severity: Severity.SEVERITY_HIGH,
      ruleIds: ['brute-force'],
      partial: true,
      modelSource: 'none',
      threshold: 60,
    });
    expect(score.reasons[0]).toMatchObject({ source: 'rule', ruleId: 'brute-force', value: 10 });
    expect(score.reasons[0].text).toMatch(/10 failed logons for this account within 10m/);
    expect(JSON.stringify(batch)).not.toContain('nurse.jones');
    expect(lines.some((l) => l.msg === 'risk score above threshold')).toBe(true);

    // Not acknowledged: the stream breaks, the score waits again and survives a restart.
    scoring.channel.disconnected();
    await scoring.stop();
    expect(statSync(join(dataDir, 'scoring', 'unsent-scores.ndjson')).mode & 0o777).toBe(0o600);
    const again = harness(dataDir);
    await again.scoring.start();
    again.scoring.channel.connected((m) => again.sent.push(m) > 0);
    const resent = again.batches()[0];
    expect(resent.scores.map((s) => s.id)).toEqual([score.id]);
    expect(again.scoring.channel.handle({ body: { $case: 'scoreAck', value: { sequence: resent.sequence } } })).toBe(
      true,
    );
    expect(again.scoring.stats().queue).toMatchObject({ queued: 0, inFlight: 0, sent: 1 });
    await again.scoring.stop();
    expect(existsSync(join(dataDir, 'scoring', 'unsent-scores.ndjson'))).toBe(false);
  });

  it("keeps an analyst's verdict from the manager on disk, logged by counts only, across a restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-live-verdict-'));
    const { scoring, sent, batches, lines } = harness(dataDir);
    await scoring.start();
    for (let i = 0; i < 12; i++) scoring.observe(failedLogon(i));
    scoring.channel.connected((m) => sent.push(m) > 0);
    const [score] = batches()[0].scores;
    const verdicts = (decidedAtMs: number): ScoreVerdicts => ({
      verdicts: [
        {
          scoreId: score.id,
          windowStartMs: score.windowStartMs,
          user: score.user,
          verdict: Verdict.VERDICT_BENIGN,
          decidedAtMs,
        },
        {
          scoreId: 'elsewhere',
          windowStartMs: score.windowStartMs,
          user: 'u_0000000000000000',
          verdict: Verdict.VERDICT_TRUE_POSITIVE,
          decidedAtMs,
        },
      ],
    });
    expect(scoring.channel.handle({ body: { $case: 'scoreVerdicts', value: verdicts(T0 + 30_000) } })).toBe(true);
    await scoring.stop();
    const stored = JSON.parse(await readFile(join(dataDir, 'scoring', 'verdicts.json'), 'utf8')) as unknown;
    expect(stored).toMatchObject({ verdicts: [{ user: 'nurse.jones', verdict: 'VERDICT_BENIGN', scoreId: score.id }] });
    const applied = lines.filter((l) => l.msg === "analysts' verdicts applied");
    expect(applied).toEqual([
      expect.objectContaining({ received: 2, matched: 1, changed: 1, unknown: 1, invalid: 0, tooOld: 0, held: 1 }),
    ]);
    expect(JSON.stringify(applied)).not.toContain(score.user);

    // Sent again after the next Hello: the restarted agent holds it already.
    const again = harness(dataDir);
    expect(again.scoring.channel.handle({ body: { $case: 'scoreVerdicts', value: verdicts(T0 + 30_000) } })).toBe(true);
    await again.scoring.start();
    // Read back from verdicts.json: the status (local API, tray) shows it held.
    expect(again.scoring.statusView()).toMatchObject({
      verdicts: 1,
      verdictKinds: { falsePositive: 0, benign: 1, truePositive: 0, latestDecidedAt: T0 + 30_000 },
    });
    await again.scoring.stop();
    expect(again.lines.filter((l) => l.msg === "analysts' verdicts applied")).toEqual([
      expect.objectContaining({ matched: 1, changed: 0, held: 1 }),
    ]);
  });

  it('installs a fleet model from the manager, uses it, reports its version and refuses a bad one', async () => {
    const sim = simulate({ days: 10, users: 10, seed: 2, scenarios: [] });
    const pipeline = new WindowPipeline(await loadRules(DEFAULT_RULES_DIR));
    for (const event of sim.events) pipeline.observe(event);
    pipeline.flush();
    const modelDir = await mkdtemp(join(tmpdir(), 'ww-fleet-src-'));
    await fitRiskModel(
      pipeline.learned.map((l) => l.window),
      { folder: modelDir, config: scoringConfig(), withoutModel: true },
    );
    const model: FleetModel = {
      version: 'sha256:abc',
      featureSetVersion: FEATURE_SET_VERSION,
      files: [{ name: 'scoring-state.json', content: await readFile(join(modelDir, 'scoring-state.json')) }],
    };

    const dataDir = await mkdtemp(join(tmpdir(), 'ww-live-fleet-'));
    const { scoring, lines } = harness(dataDir);
    await scoring.start();
    expect(scoring.channel.helloFields()).toEqual({ fleetModelVersion: '' });
    expect(
      scoring.channel.handle({
        body: {
          $case: 'fleetModel',
          value: { ...model, version: 'evil', files: [{ name: '../../escape.json', content: Buffer.from('{}') }] },
        },
      }),
    ).toBe(true);
    expect(scoring.channel.handle({ body: { $case: 'fleetModel', value: model } })).toBe(true);
    await scoring.stop();
    expect(existsSync(join(dataDir, 'escape.json'))).toBe(false);
    expect(lines.find((l) => l.msg === 'fleet model refused')?.error).toMatch(/unexpected file name/);
    expect(lines.find((l) => l.msg === 'fleet model installed')).toMatchObject({
      version: 'sha256:abc',
      inUse: true,
      modelSource: 'fleet',
    });
    expect(scoring.channel.helloFields()).toEqual({ fleetModelVersion: 'sha256:abc' });

    const restarted = harness(dataDir);
    await restarted.scoring.start();
    expect(restarted.scoring.stats().modelSource).toBe('fleet');
    expect(restarted.scoring.channel.helloFields()).toEqual({ fleetModelVersion: 'sha256:abc' });
    await restarted.scoring.stop();
  }, 30_000);

  it('trains its own model off the hot path once local history suffices, with progress in the log', async () => {
    const sim = simulate({ days: 12, users: 12, seed: 5, scenarios: [] });
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-live-train-'));
    await mkdir(join(dataDir, 'scoring'), { recursive: true });
    await writeFile(join(dataDir, 'scoring', 'history.ndjson'), sim.events.map(formatPortableLine).join('\n') + '\n');
    const lines: Record<string, unknown>[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const last = sim.events[sim.events.length - 1].time;
    const scoring = new LiveScoring({
      settings: scoringSettings({ minTrainingWindows: 40 }),
      dataDir,
      host: 'ws1',
      pseudonyms: new Pseudonymizer(key),
      logger,
      now: () => last,
    });
    await scoring.start();
    expect(scoring.stats().modelSource).toBe('none');
    // Events keep being taken while the worker trains.
    scoring.observe(failedLogon(1));
    await vi.waitFor(() => expect(lines.some((l) => l.msg === 'scoring model trained')).toBe(true), {
      timeout: 30_000,
      interval: 100,
    });
    const progress = lines.filter((l) => l.msg === 'scoring model training');
    expect(progress.map((l) => l.epoch)).toEqual([1, 5, 10, 15, 20, 25]);
    expect(progress.every((l) => typeof l.loss === 'number')).toBe(true);
    expect(scoring.stats()).toMatchObject({ modelSource: 'own', errors: 0 });
    await scoring.stop();
  }, 40_000);

  it('never stops collection: a scorer that cannot start counts events instead of throwing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-live-broken-'));
    const { scoring, lines } = harness(dataDir, scoringSettings({ rulesDir: join(dataDir, 'no-such-rules') }));
    await scoring.start();
    expect(() => scoring.observe(failedLogon(1))).not.toThrow();
    expect(scoring.stats()).toMatchObject({ state: 'failed', notScored: 1, errors: 1 });
    expect(lines.find((l) => l.msg === 'scoring could not start; events are still collected and sent')).toBeDefined();
    await scoring.stop();
  });
});
