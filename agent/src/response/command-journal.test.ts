import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandOutcome } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { CommandJournal, JOURNAL_FILE, PRUNE_MARGIN_MS } from './command-journal';
import { commandResult } from './command-result';
import { tempDataDir } from './response-test-kit.fixture';

const now = 1_800_000_000_000;
const done = (id: string) => commandResult(id, CommandOutcome.COMMAND_OUTCOME_DONE, 'done', now);

describe('CommandJournal', () => {
  it('remembers a received command and its unacknowledged result across a restart', () => {
    const dir = tempDataDir();
    const journal = new CommandJournal(dir, now);
    journal.receive('c1', 'h1', now + 60_000);
    journal.addResult(done('c1'));
    journal.close();

    const again = new CommandJournal(dir, now + 1_000);
    expect(again.seen('c1', 'h1')).toBe('same');
    // Its id with other payload bytes is another command.
    expect(again.seen('c1', 'other')).toBe('other');
    expect(again.seen('c2', 'h2')).toBe('new');
    expect(again.repeat('c1').map((r) => r.message)).toEqual(['done']);
    expect(again.takeUnsent().map((r) => r.message)).toEqual(['done']);
    again.close();
  });

  it('forgets a result once acknowledged after it was sent, and resends it after a requeue otherwise', () => {
    const dir = tempDataDir();
    const journal = new CommandJournal(dir, now);
    journal.receive('c1', 'h1', now + 60_000);
    journal.addResult(done('c1'));
    // Not sent yet: an ack (for an earlier copy) releases nothing.
    expect(journal.ack('c1')).toBe(false);
    expect(journal.takeUnsent()).toHaveLength(1);
    expect(journal.takeUnsent()).toHaveLength(0);
    journal.requeue(); // the stream broke before the ack
    expect(journal.takeUnsent()).toHaveLength(1);
    expect(journal.ack('c1')).toBe(true);
    journal.requeue();
    expect(journal.takeUnsent()).toHaveLength(0);
    journal.close();
    const again = new CommandJournal(dir, now);
    expect(again.takeUnsent()).toHaveLength(0);
    // All acknowledged: a repeat of the command still gets its final result back.
    expect(again.repeat('c1').map((r) => r.message)).toEqual(['done']);
    again.close();
  });

  it('keeps a warning and its later final result apart: acking the warning keeps the final one pending', () => {
    const journal = new CommandJournal(tempDataDir(), now);
    journal.receive('c1', 'h1', now + 60_000);
    journal.addResult(commandResult('c1', CommandOutcome.COMMAND_OUTCOME_WARNING, 'warned', now));
    expect(journal.takeUnsent()).toHaveLength(1);
    journal.addResult(done('c1'));
    journal.ack('c1');
    expect(journal.takeUnsent().map((r) => r.message)).toEqual(['done']);
    journal.close();
  });

  it("a warning's ack that arrives after the final result was written releases the warning only", () => {
    const dir = tempDataDir();
    const journal = new CommandJournal(dir, now);
    journal.receive('c1', 'h1', now + 60_000);
    journal.addResult(commandResult('c1', CommandOutcome.COMMAND_OUTCOME_WARNING, 'warned', now));
    journal.addResult(done('c1'));
    expect(journal.takeUnsent()).toHaveLength(2);
    expect(journal.ack('c1', CommandOutcome.COMMAND_OUTCOME_WARNING)).toBe(true);
    journal.requeue(); // the stream broke before the final result's ack
    expect(journal.takeUnsent().map((r) => r.message)).toEqual(['done']);
    expect(journal.repeat('c1').map((r) => r.message)).toEqual(['done']);
    expect(journal.ack('c1', CommandOutcome.COMMAND_OUTCOME_DONE)).toBe(true);
    journal.close();
    const again = new CommandJournal(dir, now);
    expect(again.takeUnsent()).toHaveLength(0);
    again.close();
  });

  it('keeps a countdown (deadline and payload) until its final result, across restarts and compaction', () => {
    const dir = tempDataDir();
    const journal = new CommandJournal(dir, now);
    journal.receive('c1', 'h1', now + 60_000);
    journal.receive('c2', 'h2', now + 60_000);
    journal.countdown('c1', now + 30_000, Buffer.from('payload-bytes'));
    journal.addResult(commandResult('c1', CommandOutcome.COMMAND_OUTCOME_WARNING, 'warned', now));
    journal.takeUnsent();
    journal.ack('c1', CommandOutcome.COMMAND_OUTCOME_WARNING);
    journal.close();
    for (const at of [now + 1_000, now + 2_000]) {
      const again = new CommandJournal(dir, at);
      expect(again.unfinished()).toEqual([
        { id: 'c1', warned: true, countdown: { runsAt: now + 30_000, payload: Buffer.from('payload-bytes') } },
        { id: 'c2', warned: false, countdown: null },
      ]);
      again.close();
    }
    const last = new CommandJournal(dir, now);
    last.addResult(done('c1'));
    last.addResult(done('c2'));
    expect(last.unfinished()).toEqual([]);
    last.close();
  });

  it('prunes acknowledged entries after expiry plus the margin, never unacknowledged ones', () => {
    const dir = tempDataDir();
    const journal = new CommandJournal(dir, now);
    journal.receive('acked', 'h1', now + 1_000);
    journal.addResult(done('acked'));
    journal.takeUnsent();
    journal.ack('acked');
    journal.receive('pending', 'h2', now + 1_000);
    journal.addResult(done('pending'));
    // A warning acknowledged is not the end: kept until its final result.
    journal.receive('warned', 'h3', now + 1_000);
    journal.addResult(commandResult('warned', CommandOutcome.COMMAND_OUTCOME_WARNING, 'warned', now));
    journal.takeUnsent();
    journal.ack('warned', CommandOutcome.COMMAND_OUTCOME_WARNING);
    journal.close();
    const later = new CommandJournal(dir, now + 1_000 + PRUNE_MARGIN_MS + 1);
    expect(later.recovery.pruned).toBe(1);
    expect(later.seen('acked', 'h1')).toBe('new');
    expect(later.seen('pending', 'h2')).toBe('same');
    expect(later.seen('warned', 'h3')).toBe('same');
    later.close();
  });

  it('skips a torn last line', () => {
    const dir = tempDataDir();
    const journal = new CommandJournal(dir, now);
    journal.receive('c1', 'h1', now + 60_000);
    journal.close();
    appendFileSync(join(dir, JOURNAL_FILE), '{"t":"result","id":"c1","res');
    const again = new CommandJournal(dir, now);
    expect(again.recovery.damagedLines).toBe(1);
    expect(again.seen('c1', 'h1')).toBe('same');
    expect(again.repeat('c1')).toEqual([]);
    again.close();
  });
});
