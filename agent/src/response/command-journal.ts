// What this agent did with every command it accepted, in an append-only file
// (commands.journal, JSON lines, 0600), so that a restart forgets nothing.
//
// Invariants:
// - A command id is journalled (and the line fsynced) before its action starts, so an
//   id runs at most once even if the agent dies mid-action.
// - Each result is journalled (fsynced) before it is sent; it stays pending until a
//   CommandResultAck for its id arrives after it was written to the stream.
// - An entry is forgotten only when its command has expired (plus a margin) and every
//   result was acknowledged: by then the verifier refuses the command as expired, so
//   forgetting it cannot let it run twice.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CommandOutcome, type CommandResult } from '@wardwatch/proto';
import { z } from 'zod';

export const JOURNAL_FILE = 'commands.journal';
/** Kept this long after expiry, so a clock set back a little does not revive a command. */
export const PRUNE_MARGIN_MS = 24 * 3_600_000;

const ResultLine = z.object({
  commandId: z.string(),
  ok: z.boolean(),
  message: z.string(),
  outcome: z.nativeEnum(CommandOutcome),
  finishedAtMs: z.number(),
  detailsJson: z.string(),
});
const Line = z.discriminatedUnion('t', [
  z.object({ t: z.literal('received'), id: z.string(), hash: z.string(), expiresAtMs: z.number() }),
  z.object({ t: z.literal('result'), id: z.string(), result: ResultLine }),
  z.object({ t: z.literal('ack'), id: z.string(), count: z.number().int().nonnegative() }),
]);
type Line = z.infer<typeof Line>;

interface Entry {
  id: string;
  hash: string;
  expiresAtMs: number;
  results: CommandResult[];
  /** Results the manager acknowledged (the first `acked` of `results`). */
  acked: number;
  /** Results written to the current stream (not persisted: a new stream sends them again). */
  sent: number;
}

export class CommandJournal {
  private readonly entries = new Map<string, Entry>();
  private readonly byHash = new Map<string, string>();
  private fd: number;
  readonly recovery = { entries: 0, pruned: 0, damagedLines: 0 };

  constructor(
    readonly dir: string,
    now: number = Date.now(),
  ) {
    const path = join(dir, JOURNAL_FILE);
    if (existsSync(path)) this.replay(readFileSync(path, 'utf8'));
    this.prune(now);
    // Compacted on open: the file holds only what is remembered now.
    const temp = `${path}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    for (const entry of this.entries.values())
      for (const line of linesOf(entry)) writeSync(fd, `${JSON.stringify(line)}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
    this.fd = openSync(path, 'a', 0o600);
    this.recovery.entries = this.entries.size;
  }

  /** The entry of a command already received (by id, or by the same payload bytes). */
  seen(commandId: string, payloadHash: string): { pending: CommandResult[]; results: number } | null {
    const entry = this.entries.get(commandId) ?? this.entries.get(this.byHash.get(payloadHash) ?? '');
    if (!entry) return null;
    return { pending: entry.results.slice(entry.acked), results: entry.results.length };
  }

  /** Journals the command before it runs (fsynced). */
  receive(commandId: string, payloadHash: string, expiresAtMs: number): void {
    const entry: Entry = { id: commandId, hash: payloadHash, expiresAtMs, results: [], acked: 0, sent: 0 };
    this.entries.set(commandId, entry);
    this.byHash.set(payloadHash, commandId);
    this.append({ t: 'received', id: commandId, hash: payloadHash, expiresAtMs });
  }

  /** Journals a result before it is sent (fsynced); it is pending until acknowledged. */
  addResult(result: CommandResult): void {
    const entry = this.entries.get(result.commandId);
    if (!entry) throw new Error(`result for a command never received: ${result.commandId}`);
    entry.results.push(result);
    this.append({ t: 'result', id: result.commandId, result });
  }

  /** Every result not yet acknowledged, oldest first, each marked as written to the stream. */
  takeUnsent(): CommandResult[] {
    const out: CommandResult[] = [];
    for (const entry of this.entries.values()) {
      out.push(...entry.results.slice(Math.max(entry.sent, entry.acked)));
      entry.sent = entry.results.length;
    }
    return out;
  }

  /** The stream is gone: whatever it carried without an acknowledgement goes again. */
  requeue(): void {
    for (const entry of this.entries.values()) entry.sent = entry.acked;
  }

  /** The manager stored the results of this command written so far. */
  ack(commandId: string): boolean {
    const entry = this.entries.get(commandId);
    if (!entry || entry.sent <= entry.acked) return false;
    entry.acked = entry.sent;
    this.append({ t: 'ack', id: commandId, count: entry.acked });
    return true;
  }

  /** Commands whose last result is a warning: a restart interrupted their countdown. */
  interruptedWarnings(): string[] {
    return [...this.entries.values()]
      .filter((e) => e.results.at(-1)?.outcome === CommandOutcome.COMMAND_OUTCOME_WARNING)
      .map((e) => e.id);
  }

  pendingCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) count += entry.results.length - entry.acked;
    return count;
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(line: Line): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.fd);
  }

  private replay(text: string): void {
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      const parsed = Line.safeParse(safeJson(raw));
      if (!parsed.success) {
        // A line torn by a crash is the last one; its action had not been acknowledged.
        this.recovery.damagedLines += 1;
        continue;
      }
      const line = parsed.data;
      if (line.t === 'received') {
        this.entries.set(line.id, {
          id: line.id,
          hash: line.hash,
          expiresAtMs: line.expiresAtMs,
          results: [],
          acked: 0,
          sent: 0,
        });
        this.byHash.set(line.hash, line.id);
        continue;
      }
      const entry = this.entries.get(line.id);
      if (!entry) continue;
      if (line.t === 'result') entry.results.push(line.result);
      else entry.acked = Math.min(Math.max(entry.acked, line.count), entry.results.length);
    }
  }

  private prune(now: number): void {
    for (const entry of [...this.entries.values()]) {
      if (entry.expiresAtMs + PRUNE_MARGIN_MS < now && entry.acked >= entry.results.length) {
        this.entries.delete(entry.id);
        this.byHash.delete(entry.hash);
        this.recovery.pruned += 1;
      }
    }
  }
}

function linesOf(entry: Entry): Line[] {
  return [
    { t: 'received', id: entry.id, hash: entry.hash, expiresAtMs: entry.expiresAtMs },
    ...entry.results.map((result): Line => ({ t: 'result', id: entry.id, result })),
    ...(entry.acked > 0 ? [{ t: 'ack' as const, id: entry.id, count: entry.acked }] : []),
  ];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
