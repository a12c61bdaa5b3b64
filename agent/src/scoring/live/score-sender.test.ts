import { Score } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../logging/logger';
import { TokensNotReady, type Completed } from '../../pseudonymize/pseudonymizer';
import type { ScoreResult } from '../model/risk-model';
import type { PseudonymSource } from './reason-text';
import { ScoreChannel } from './score-channel';
import { ScoreQueue } from './score-queue';
import { ScoreSender, type SentCounts } from './score-sender';

function result(ruleIds: string[] = [], partial = false): ScoreResult {
  return {
    user: 'nurse7',
    host: 'ws-1',
    hosts: ['ws-1'],
    start: 0,
    end: 600_000,
    score: 80,
    alert: true,
    reasons: [],
    baselineSource: 'user',
    modelError: 0,
    ruleIds,
    firstRuleHitAt: null,
    labels: [],
    partial,
  };
}

/** OPRF mode with the manager away: every score waits for tokens until `settle` says how it ends. */
function waitingTokens() {
  const settles: ((error?: Error) => void)[] = [];
  const source: PseudonymSource = {
    user: () => '',
    path: () => '',
    ip: () => '',
    host: () => '',
    complete<T>(compute: () => T): Completed<T> {
      return {
        later: new Promise<T>((resolve, reject) => {
          settles.push((error) => (error ? reject(error) : resolve(compute())));
        }),
      };
    },
  };
  return { source, settles };
}

function sender(pseudonyms: PseudonymSource, stopping = new AbortController().signal) {
  const queue = new ScoreQueue();
  const logger = createMemoryLogger();
  const channel = new ScoreChannel({ queue, logger, fleet: { version: () => '', install: () => undefined } });
  const counts: SentCounts = { scored: 0, alerts: 0, notScored: 0, sentWithoutTokens: 0 };
  const failures: string[] = [];
  const out = new ScoreSender({
    pseudonyms,
    channel,
    suspects: null,
    log: logger,
    counts,
    stopping,
    running: () => true,
    failed: (msg) => failures.push(msg),
  });
  out.criticalRules = new Set(['ransomware_burst']);
  return { out, queue, counts, failures, logger };
}

const build = () => Score.fromJSON({ user: '', score: 80, reasons: [{ text: ' ' }], ruleIds: ['ransomware_burst'] });

describe('ScoreSender', () => {
  it('keeps at most 2,000 scores waiting for tokens and counts the next as not scored', () => {
    const { source } = waitingTokens();
    const { out, counts, queue } = sender(source);
    out.publish(
      Array.from({ length: 2_001 }, () => result()),
      build,
    );
    expect(out.waiting.size).toBe(2_000);
    expect(counts).toMatchObject({ scored: 0, notScored: 1 });
    expect(queue.stats().queued).toBe(0);
  });

  it('sends a score once its tokens come, counting it and its alert', async () => {
    const { source, settles } = waitingTokens();
    const { out, counts, queue } = sender(source);
    out.publish([result()], build);
    settles[0]();
    await expect.poll(() => queue.stats().queued).toBe(1);
    expect(counts).toMatchObject({ scored: 1, alerts: 1, notScored: 0 });
    expect(out.waiting.size).toBe(0);
  });

  it('sends a critical score whose tokens did not come in time, its empty reasons said so', async () => {
    const { source, settles } = waitingTokens();
    const { out, counts, queue, logger } = sender(source);
    out.publish([result(['ransomware_burst'], true)], build);
    settles[0](new TokensNotReady('timed out'));
    await expect.poll(() => counts.sentWithoutTokens).toBe(1);
    const [sent] = queue.unacknowledged();
    expect(sent.reasons[0].text).toBe('(values not pseudonymised in time: see the workstation)');
    expect(JSON.stringify(logger.lines)).toContain('critical rule hit: score sent at once');
  });

  it('leaves a score whose wait ended at stop to the caller, neither sent nor counted', async () => {
    const { source, settles } = waitingTokens();
    const stop = new AbortController();
    const { out, counts, failures } = sender(source, stop.signal);
    out.publish([result()], build);
    stop.abort();
    settles[0](new TokensNotReady('stopping'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(out.waiting.size).toBe(1);
    expect(counts).toMatchObject({ scored: 0, notScored: 0 });
    expect(failures).toEqual([]);
  });

  it('counts a score whose tokens failed otherwise as not scored, and says so', async () => {
    const { source, settles } = waitingTokens();
    const { out, counts, failures } = sender(source);
    out.publish([result()], build);
    settles[0](new Error('manager refused'));
    await expect.poll(() => counts.notScored).toBe(1);
    expect(failures).toEqual(['a score waiting for pseudonym tokens was not sent']);
  });
});
