// What this agent did with every command it accepted, in an append-only file
// (commands.journal, JSON lines, 0600), so that a restart forgets nothing.
//
// Invariants:
// - A command id is journalled (and the line fsynced) before its action starts, so an
//   id runs at most once even if the agent dies mid-action.
// - Each result is journalled (fsynced) before it is sent; it stays pending until a
//   CommandResultAck for its id arrives after it was written to the stream (an ack of a
//   WARNING releases the warning only, never a final result written after it).
// - A countdown is journalled (deadline and payload) before its warning is sent, so a
//   restart resumes it instead of losing it.
// - An entry is forgotten only when its command has expired (plus a margin), it has a
//   final result and every result was acknowledged: by then the verifier refuses the
//   command as expired, so forgetting it cannot let it run twice.
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
  z.object({ t: z.literal('countdown'), id: z.string(), runsAt: z.number(), payload: z.string() }),
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
  countdown: Countdown | null;
}

/** A warning countdown in progress: when the action runs, and the verified payload bytes. */
export interface Countdown {
  runsAt: number;
  payload: Buffer;
}

/** A command without a final result: a restart interrupted its countdown (warned) or its action. */
export interface Unfinished {
  id: string;
  warned: boolean;
  countdown: Countdown | null;
}

const isFinal = (result: CommandResult | undefined): boolean =>
  result !== undefined && result.outcome !== CommandOutcome.COMMAND_OUTCOME_WARNING;

export class CommandJournal {
  private readonly entries = new Map<string, Entry>();
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

  /** new: never received; same: this very command again; other: its id came with a different payload. */
  seen(commandId: string, payloadHash: string): 'new' | 'same' | 'other' {
    const entry = this.entries.get(commandId);
    if (!entry) return 'new';
    return entry.hash === payloadHash ? 'same' : 'other';
  }

  /**
   * What a repeated command gets back: its unacknowledged results, or, all acknowledged, its
   * latest one again (the manager sends a command again only while it lacks its final result).
   */
  repeat(commandId: string): CommandResult[] {
    const results = this.entries.get(commandId)?.results ?? [];
    const unacked = results.slice(this.entries.get(commandId)?.acked ?? 0);
    return unacked.length > 0 ? unacked : results.slice(-1);
  }

  /** Journals the command before it runs (fsynced). */
  receive(commandId: string, payloadHash: string, expiresAtMs: number): void {
    const entry: Entry = {
      id: commandId,
      hash: payloadHash,
      expiresAtMs,
      results: [],
      acked: 0,
      sent: 0,
      countdown: null,
    };
    this.entries.set(commandId, entry);
    this.append({ t: 'received', id: commandId, hash: payloadHash, expiresAtMs });
  }

  /** Journals a countdown (fsynced) before its warning is sent. */
  countdown(commandId: string, runsAt: number, payload: Uint8Array): void {
    const entry = this.entries.get(commandId);
    if (!entry) throw new Error(`countdown for a command never received: ${commandId}`);
    entry.countdown = { runsAt, payload: Buffer.from(payload) };
    this.append({ t: 'countdown', id: commandId, runsAt, payload: entry.countdown.payload.toString('base64') });
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

  /**
   * The manager stored the result of this command with `outcome`: a WARNING's ack releases
   * the warnings written so far; any other (or UNSPECIFIED, from an older manager) every
   * result written so far.
   */
  ack(commandId: string, outcome: CommandOutcome = CommandOutcome.COMMAND_OUTCOME_UNSPECIFIED): boolean {
    const entry = this.entries.get(commandId);
    if (!entry) return false;
    let upTo = entry.sent;
    if (outcome === CommandOutcome.COMMAND_OUTCOME_WARNING)
      while (upTo > 0 && isFinal(entry.results[upTo - 1])) upTo -= 1;
    if (upTo <= entry.acked) return false;
    entry.acked = upTo;
    this.append({ t: 'ack', id: commandId, count: entry.acked });
    return true;
  }

  /** Commands without a final result: a restart interrupted their countdown or their action. */
  unfinished(): Unfinished[] {
    return [...this.entries.values()]
      .filter((e) => !isFinal(e.results.at(-1)))
      .map((e) => ({ id: e.id, warned: e.results.length > 0, countdown: e.countdown }));
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
          countdown: null,
        });
        continue;
      }
      const entry = this.entries.get(line.id);
      if (!entry) continue;
      if (line.t === 'result') entry.results.push(line.result);
      else if (line.t === 'countdown')
        entry.countdown = { runsAt: line.runsAt, payload: Buffer.from(line.payload, 'base64') };
      else entry.acked = Math.min(Math.max(entry.acked, line.count), entry.results.length);
    }
  }

  private prune(now: number): void {
    for (const entry of [...this.entries.values()]) {
      const settled = isFinal(entry.results.at(-1)) && entry.acked >= entry.results.length;
      if (entry.expiresAtMs + PRUNE_MARGIN_MS < now && settled) {
        this.entries.delete(entry.id);
        this.recovery.pruned += 1;
      }
    }
  }
}

function linesOf(entry: Entry): Line[] {
  const countdown = entry.countdown && !isFinal(entry.results.at(-1)) ? entry.countdown : null;
  return [
    { t: 'received', id: entry.id, hash: entry.hash, expiresAtMs: entry.expiresAtMs },
    ...(countdown
      ? [
          {
            t: 'countdown' as const,
            id: entry.id,
            runsAt: countdown.runsAt,
            payload: countdown.payload.toString('base64'),
          },
        ]
      : []),
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
