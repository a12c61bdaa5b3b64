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
    expect(again.seen('c1', 'other')?.pending.map((r) => r.commandId)).toEqual(['c1']);
    // The same payload under any id is found by its hash.
    expect(again.seen('c9', 'h1')).not.toBeNull();
    expect(again.seen('c2', 'h2')).toBeNull();
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
    expect(again.seen('c1', 'h1')).toEqual({ pending: [], results: 1 });
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

  it('prunes acknowledged entries after expiry plus the margin, never unacknowledged ones', () => {
    const dir = tempDataDir();
    const journal = new CommandJournal(dir, now);
    journal.receive('acked', 'h1', now + 1_000);
    journal.addResult(done('acked'));
    journal.takeUnsent();
    journal.ack('acked');
    journal.receive('pending', 'h2', now + 1_000);
    journal.addResult(done('pending'));
    journal.close();
    const later = new CommandJournal(dir, now + 1_000 + PRUNE_MARGIN_MS + 1);
    expect(later.recovery.pruned).toBe(1);
    expect(later.seen('acked', 'h1')).toBeNull();
    expect(later.seen('pending', 'h2')).not.toBeNull();
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
    expect(again.seen('c1', 'h1')).toEqual({ pending: [], results: 0 });
    again.close();
  });
});
