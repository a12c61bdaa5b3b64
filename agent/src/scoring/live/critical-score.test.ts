// A critical rule hit (the ransomware rule) scores at once, names the process
// writing in the folders of its class — a real child process holding a file
// open in a real temp folder — and its score leaves without waiting for a batch.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Severity, type AgentMessage, type Score } from '@wardwatch/proto';
import { createJsonLogger } from '../../logging/logger';
import { Pseudonymizer } from '../../pseudonymize/pseudonymizer';
import { ProcFsProcessFinder } from '../../response/process-finder/proc-process-finder';
import { scoringSettings } from '../../config/scoring-settings';
import { LiveScoring } from './live-scoring';
import { ransomwareWrite } from './ransomware-write.fixture';
import { ScoreChannel } from './score-channel';
import { ScoreQueue } from './score-queue';

const key = Buffer.alloc(32, 5);
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function holder(file: string): Promise<ChildProcess> {
  const script = `require('fs').openSync(${JSON.stringify(file)},'w');console.log('ready');setInterval(()=>{},1000)`;
  const proc = spawn(process.execPath, ['-e', script], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'inherit'] });
  cleanup.push(async () => {
    proc.kill('SIGKILL');
    if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
  });
  await new Promise((resolve) => proc.stdout.once('data', resolve));
  return proc;
}

describe('a critical rule hit', () => {
  it('sends its score at once with the writing process as suspect, executable pseudonymised like a path', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ww-critical-'));
    cleanup.push(() => rm(root, { recursive: true, force: true }));
    const phi = join(root, 'records');
    const other = join(root, 'scans');
    mkdirSync(phi);
    mkdirSync(other);
    const attacker = await holder(join(phi, 'chart-0.docx.locked'));
    const bystander = await holder(join(other, 'scan.pdf'));
    const lines: Record<string, unknown>[] = [];
    const logger = createJsonLogger({
      write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>),
      level: 'info',
    });
    const pseudonyms = new Pseudonymizer(key, { folders: [{ path: phi, class: 'phi' }] });
    const folders = [
      { path: phi, class: 'phi' },
      { path: other, class: 'other' },
    ];
    const scoring = new LiveScoring({
      settings: scoringSettings(),
      dataDir: root,
      host: 'ward3-ws12',
      pseudonyms,
      logger,
      suspects: {
        finder: new ProcFsProcessFinder({ maxIoWriters: 0 }),
        foldersOf: (c) => folders.filter((f) => c === undefined || f.class === c).map((f) => f.path),
      },
    });
    cleanup.push(() => scoring.stop());
    await scoring.start();
    const written: { at: number; message: AgentMessage }[] = [];
    scoring.channel.connected((message) => written.push({ at: performance.now(), message }) > 0);
    const t = Date.now();
    let sixthAt = 0;
    for (let i = 0; i < 6; i++) {
      if (i === 5) sixthAt = performance.now();
      scoring.observe(ransomwareWrite(i, join(phi, `chart-${i}.docx.locked`), t + i * 10));
    }
    const score = await vi.waitFor(
      () => {
        const found = written
          .flatMap((w) => (w.message.body?.$case === 'scores' ? w.message.body.value.scores : []))
          .find((s: Score) => s.ruleIds.includes('ransomware-burst'));
        if (!found) throw new Error('no ransomware score yet');
        return found;
      },
      { timeout: 5_000, interval: 5 },
    );
    const latency = written[written.length - 1].at - sixthAt;
    console.log(`critical score with suspects written ${latency.toFixed(1)} ms after the sixth file event`);
    expect(score).toMatchObject({ severity: Severity.SEVERITY_CRITICAL, partial: true });
    expect(score.suspects.map((s) => s.pid)).toContain(attacker.pid);
    expect(score.suspects.map((s) => s.pid)).not.toContain(bystander.pid);
    expect(score.suspects.map((s) => s.pid)).not.toContain(process.pid);
    const suspect = score.suspects.find((s) => s.pid === attacker.pid)!;
    expect(suspect.startTime).toBeGreaterThan(0);
    // node lives in a system software folder here: named in clear, as the evidence.
    expect(suspect.executable).toBe(pseudonyms.path(process.execPath));
    const logged = lines.find((l) => l.msg === 'critical rule hit: score sent at once');
    console.log(`suspect search took ${String(logged?.searchMs)} ms`);
    expect(logged).toBeDefined();
  });
});

describe('ScoreChannel', () => {
  it('holds an ordinary score for company but sends a critical one now', () => {
    vi.useFakeTimers();
    try {
      const channel = new ScoreChannel({
        queue: new ScoreQueue(),
        logger: createJsonLogger({ write: () => undefined }),
        fleet: { version: () => '', install: () => undefined },
      });
      const sent: AgentMessage[] = [];
      channel.connected((m) => sent.push(m) > 0);
      const score = (id: string): Score => ({
        id,
        windowStartMs: 0,
        windowEndMs: 1,
        user: 'u_1',
        score: 95,
        threshold: 60,
        severity: Severity.SEVERITY_CRITICAL,
        modelSource: 'none',
        baselineSource: 'fleet',
        reasons: [],
        ruleIds: [],
        scoredAtMs: 0,
        partial: true,
        suspects: [],
      });
      channel.send(score('ordinary'));
      expect(sent).toHaveLength(0);
      channel.sendNow(score('critical'));
      expect(sent).toHaveLength(1);
      const batch = sent[0].body?.$case === 'scores' ? sent[0].body.value : null;
      expect(batch?.scores.map((s) => s.id)).toEqual(['ordinary', 'critical']);
      vi.advanceTimersByTime(1_000);
      expect(sent).toHaveLength(1); // the pending timer was cleared with the batch
    } finally {
      vi.useRealTimers();
    }
  });
});
