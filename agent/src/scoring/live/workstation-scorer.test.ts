import { existsSync, statSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Verdict, type Event, type ScoreVerdict } from '@wardwatch/proto';
import { FEATURE_SET_VERSION, formatPortableLine } from '@wardwatch/shared';
import { simulate } from '../../../../scripts/simulator/simulate';
import { eventToPortable } from '../features/event-to-portable';
import { login } from './login-event.fixture';
import { WorkstationScorer } from './workstation-scorer';
import { STATE_FILE } from '../model/fit-risk-model';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { scoringConfig } from '../../config/scoring-config';

describe('eventToPortable', () => {
  it('maps proto events and counts what it cannot use', () => {
    const mapped = eventToPortable(login(1000, 'failed_logon'), 'ws1');
    expect(mapped).toEqual({
      event: {
        v: 1,
        time: 1000,
        host: 'ws1',
        user: 'nurse.a',
        kind: 'failed_logon',
        method: 'password',
        sourceHost: undefined,
        sourceIp: '203.0.113.7',
      },
    });
    expect(eventToPortable(login(1000, 'screen_lock'), 'ws1')).toEqual({ skipped: 'login_screen_lock' });
    const file: Event = {
      id: 'f',
      timeMs: 5,
      sequence: 0,
      severity: 0,
      user: 'u',
      detail: {
        $case: 'file',
        value: {
          action: 'write',
          path: '/phi/a',
          previousPath: '',
          folderClass: 'phi',
          extension: 'pdf',
          depth: 2,
          sizeBytes: 10,
          entropy: -1,
          owner: 'u',
          process: '',
          pid: 0,
        },
      },
    };
    expect(eventToPortable(file, 'ws1')).toMatchObject({
      event: { kind: 'file_write', folderClass: 'phi', entropy: undefined },
    });
  });
});

describe('WorkstationScorer', () => {
  it('keeps its history on disk within the byte budget, older half first, and replays both halves', async () => {
    const { readFile, stat } = await import('node:fs/promises');
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-live-roll-'));
    const options = {
      dataDir,
      host: 'ws1',
      rules: await loadRules(DEFAULT_RULES_DIR),
      config: scoringConfig(),
      maxHistoryBytes: 4_000,
      now: () => 100 * 86_400_000,
    };
    const scorer = await WorkstationScorer.open(options);
    for (let i = 0; i < 200; i++) scorer.observe(login(99 * 86_400_000 + i * 60_000, 'logon', `user.${i % 5}`));
    await scorer.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const current = (await stat(join(dataDir, 'scoring', 'history.ndjson'))).size;
    const older = (await stat(join(dataDir, 'scoring', 'history.1.ndjson'))).size;
    expect(current + older).toBeLessThanOrEqual(4_000 + 200);
    expect(older).toBeGreaterThan(1_500);
    const lines = (text: string) => text.trim().split('\n').filter(Boolean);
    const before = [
      ...lines(await readFile(join(dataDir, 'scoring', 'history.1.ndjson'), 'utf8')),
      ...lines(await readFile(join(dataDir, 'scoring', 'history.ndjson'), 'utf8')),
    ];
    const reopened = await WorkstationScorer.open(options);
    await reopened.close();
    expect(existsSync(join(dataDir, 'scoring', 'history.1.ndjson'))).toBe(false);
    expect(lines(await readFile(join(dataDir, 'scoring', 'history.ndjson'), 'utf8'))).toEqual(before);
    // The newest events are the ones kept.
    expect((JSON.parse(before.at(-1)!) as { user: string }).user).toBe('user.4');
  });

  it('alerts at once on a rule hit even without a model, and keeps history on disk', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-live-'));
    const scorer = await WorkstationScorer.open({
      dataDir,
      host: 'ws1',
      rules: await loadRules(DEFAULT_RULES_DIR),
      config: scoringConfig(),
    });
    expect(scorer.modelSource).toBe('none');
    const results = Array.from({ length: 10 }, (_, i) =>
      scorer.observe(login(100 * 86_400_000 + i * 1000, 'failed_logon')),
    ).flat();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ user: 'nurse.a', alert: true, ruleIds: ['brute-force'], partial: true });
    expect(results[0].reasons[0].text).toMatch(/10 failed logons/);
    // A day that ends without a later event is still scored, by the agent's timer.
    expect(scorer.advanceTo(100 * 86_400_000 + 3_600_000)).toEqual([]);
    const closed = scorer.advanceTo(101 * 86_400_000 + 1);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({
      user: 'nurse.a',
      start: 100 * 86_400_000,
      ruleIds: ['brute-force'],
      alert: true,
    });
    expect(closed[0].partial).toBeUndefined();
    scorer.observe(login(101 * 86_400_000 + 20_000, 'screen_lock'));
    scorer.observe(login(1_000, 'logon'));
    expect(scorer.stats()).toEqual({
      skipped: { login_screen_lock: 1 },
      lateEvents: 1,
      lateNotScored: { beyond_late_bound: 1, too_many_late_windows: 0 },
      lateScored: 0,
      ruleHits: 1,
      modelSource: 'none',
      learnedWindows: 1,
      withheldWindows: 0,
      verdicts: 0,
    });
    // Windows kept for retraining age out with the retention (60 days by default).
    scorer.advanceTo(150 * 86_400_000);
    expect(scorer.stats().learnedWindows).toBe(1);
    scorer.advanceTo(170 * 86_400_000);
    expect(scorer.stats().learnedWindows).toBe(0);
    await scorer.close();
    // Clear user names and paths: the agent's account only.
    expect(statSync(join(dataDir, 'scoring')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'scoring', 'history.ndjson')).mode & 0o777).toBe(0o600);
  });

  it('trains its own model from local history in a worker and loads it on the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-live-'));
    const sim = simulate({ days: 12, users: 12, seed: 5, scenarios: [] });
    await mkdtempScoring(dataDir, sim.events.map(formatPortableLine).join('\n') + '\n');
    const lastEvent = sim.events[sim.events.length - 1].time;
    let clock = lastEvent;
    const options = {
      dataDir,
      host: 'ws1',
      rules: await loadRules(DEFAULT_RULES_DIR),
      config: scoringConfig(),
      minTrainingWindows: 40,
      now: () => clock,
    };
    const scorer = await WorkstationScorer.open(options);
    expect(scorer.needsTraining()).toBe(true);
    const epochs: number[] = [];
    await scorer.train((p) => epochs.push(p.epoch));
    expect(epochs.at(-1)).toBe(25);
    expect(scorer.modelSource).toBe('own');
    await scorer.close();
    expect(scorer.needsTraining()).toBe(false);
    clock = lastEvent + 8 * 86_400_000; // a week later the own model is trained again
    expect(scorer.needsTraining()).toBe(true);
    clock = lastEvent;
    const reopened = await WorkstationScorer.open(options);
    expect(reopened.modelSource).toBe('own');
    expect(reopened.trainedAt).toBeGreaterThan(0);
    await reopened.close();
    // The replay is scored with the saved model: windows that alerted stay out of the next training.
    // (A budget of half the windows makes some of the replayed ones alert.)
    const lenient = {
      ...options,
      dataDir: await mkdtemp(join(tmpdir(), 'ww-live-budget-')),
      config: scoringConfig({ alertBudget: 0.5 }),
    };
    await cp(join(dataDir, 'scoring', 'history.ndjson'), join(lenient.dataDir, 'scoring', 'history.ndjson'));
    const training = await WorkstationScorer.open(lenient);
    await training.train();
    expect(training.stats().withheldWindows).toBe(0);
    await training.close();
    const replayed = await WorkstationScorer.open(lenient);
    const { learnedWindows, withheldWindows } = replayed.stats();
    expect(withheldWindows).toBeGreaterThan(learnedWindows / 10);
    expect(withheldWindows).toBeLessThan(learnedWindows);
    clock = lastEvent + 15 * 86_400_000; // two weeks on, they are learned like the others
    expect(replayed.stats().withheldWindows).toBe(0);
    clock = lastEvent;
    await replayed.close();
    // After an upgrade to a new feature set the saved model is set aside and trained again, not fatal.
    const stateFile = join(dataDir, 'scoring', 'model', STATE_FILE);
    const saved = await readFile(stateFile, 'utf8');
    const version = `"featureSetVersion":${FEATURE_SET_VERSION}`;
    expect(saved).toContain(version);
    await writeFile(stateFile, saved.replace(version, `"featureSetVersion":${FEATURE_SET_VERSION - 1}`));
    const upgraded = await WorkstationScorer.open(options);
    expect(upgraded.modelSource).toBe('none');
    expect(upgraded.skippedModels).toEqual([expect.stringContaining(`feature set v${FEATURE_SET_VERSION - 1}`)]);
    expect(upgraded.needsTraining()).toBe(true);
    await upgraded.close();
    await writeFile(stateFile, saved);
    // A fleet model placed by the manager covers a fresh workstation's cold start.
    const fresh = await mkdtemp(join(tmpdir(), 'ww-live-fleet-'));
    await cp(join(dataDir, 'scoring', 'model'), join(fresh, 'scoring', 'fleet-model'), { recursive: true });
    const cold = await WorkstationScorer.open({ ...options, dataDir: fresh });
    expect(cold.modelSource).toBe('fleet');
    expect(cold.needsTraining()).toBe(false);
    const first = sim.events[0];
    const burst = Array.from({ length: 10 }, (_, i) =>
      cold.observe(login(first.time + i * 1000, 'failed_logon', first.user)),
    ).flat();
    expect(burst.map((r) => r.ruleIds)).toEqual([['brute-force']]);
    expect(burst[0].baselineSource).toBe('user');
    await cold.close();
    // History older than the retention is dropped from disk on the next start.
    const short = await WorkstationScorer.open({ ...options, retentionDays: 3 });
    await short.close();
    const kept = (await readFile(join(dataDir, 'scoring', 'history.ndjson'), 'utf8')).trim().split('\n');
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(sim.events.length / 2);
    expect(
      kept.every((line) => Date.parse((JSON.parse(line) as { time: string }).time) >= lastEvent - 3 * 86_400_000),
    ).toBe(true);
  }, 60_000);
});

describe("WorkstationScorer with analysts' verdicts", () => {
  const DAY = 86_400_000;
  const pseudonymOf = (user: string) => `u_${user}`;

  it('learns a false positive at once, never a true positive, and keeps both across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ww-live-verdicts-'));
    let clock = 100 * DAY + 3_600_000;
    const options = {
      dataDir,
      host: 'ws1',
      rules: await loadRules(DEFAULT_RULES_DIR),
      config: scoringConfig(),
      minTrainingWindows: 1,
      now: () => clock,
    };
    const scorer = await WorkstationScorer.open(options);
    for (let i = 0; i < 6; i++) scorer.observe(login(99 * DAY + i * 60_000, 'logon', i % 2 ? 'nurse.b' : 'nurse.a'));
    const closed = scorer.advanceTo(clock);
    const start = (user: string) => closed.find((r) => r.user === user)!.start;
    expect(closed.map((r) => r.user).sort()).toEqual(['nurse.a', 'nurse.b']);
    // A scored window waits a week before it is learned.
    expect(scorer.needsTraining()).toBe(false);

    const verdict = (user: string, windowStartMs: number, v: Verdict, decidedAtMs = clock): ScoreVerdict => ({
      scoreId: `s-${user}-${windowStartMs}`,
      windowStartMs,
      user,
      verdict: v,
      decidedAtMs,
    });
    const outcome = await scorer.applyVerdicts(
      [
        verdict('u_nurse.a', start('nurse.a'), Verdict.VERDICT_FALSE_POSITIVE),
        verdict('u_nurse.a', start('nurse.a'), Verdict.VERDICT_FALSE_POSITIVE), // a repeat after Hello
        verdict('u_nurse.b', start('nurse.b'), Verdict.VERDICT_TRUE_POSITIVE),
        verdict('u_someone.else', start('nurse.a'), Verdict.VERDICT_BENIGN),
        verdict('u_nurse.a', start('nurse.a') - DAY, Verdict.VERDICT_BENIGN),
        verdict('u_nurse.a', start('nurse.a'), Verdict.VERDICT_UNSPECIFIED),
        verdict('u_nurse.a', 10 * DAY, Verdict.VERDICT_BENIGN),
      ],
      pseudonymOf,
    );
    expect(outcome).toEqual({ matched: 3, changed: 2, unknown: 2, invalid: 1, tooOld: 1 });
    expect(scorer.stats().verdicts).toBe(2);
    // The false positive is learned now, without the week's wait.
    expect(scorer.needsTraining()).toBe(true);
    await scorer.close();
    const file = join(dataDir, 'scoring', 'verdicts.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Kept by the window's clear user, as the history beside it.
    const stored = JSON.parse(await readFile(file, 'utf8')) as { verdicts: { user: string; verdict: string }[] };
    expect(stored.verdicts.map((v) => [v.user, v.verdict])).toEqual([
      ['nurse.a', 'VERDICT_FALSE_POSITIVE'],
      ['nurse.b', 'VERDICT_TRUE_POSITIVE'],
    ]);

    const reopened = await WorkstationScorer.open({ ...options, minTrainingWindows: 2 });
    reopened.advanceTo(clock);
    expect(reopened.stats()).toMatchObject({ verdicts: 2, learnedWindows: 2, withheldWindows: 0 });
    expect(reopened.verdictFileProblem).toBeNull();
    // Two months on the other window would be learned too, but a true positive never is.
    clock = 100 * DAY + 30 * DAY;
    expect(reopened.needsTraining()).toBe(false);
    await reopened.close();
    const without = await WorkstationScorer.open({
      ...options,
      minTrainingWindows: 2,
      dataDir: await copyHistory(dataDir),
    });
    without.advanceTo(clock);
    expect(without.needsTraining()).toBe(true);
    await without.close();

    // An unreadable file is set aside, never in the way of scoring.
    await writeFile(file, '{"version":1,"verdicts":[{"user":');
    const damaged = await WorkstationScorer.open(options);
    expect(damaged.verdictFileProblem).toMatch(/verdicts\.json could not be read/);
    expect(damaged.stats().verdicts).toBe(0);
    expect(damaged.advanceTo(clock)).toHaveLength(2);
    await damaged.close();
  });
});

/** A data folder with only the history of `dataDir` (no verdicts). */
async function copyHistory(dataDir: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'ww-live-verdicts-'));
  await cp(join(dataDir, 'scoring', 'history.ndjson'), join(copy, 'scoring', 'history.ndjson'));
  return copy;
}

async function mkdtempScoring(dataDir: string, history: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dataDir, 'scoring'), { recursive: true });
  await writeFile(join(dataDir, 'scoring', 'history.ndjson'), history);
}
