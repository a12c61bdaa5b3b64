// The analysts' verdicts this workstation holds: <dataDir>/scoring/verdicts.json, so that a
// restart keeps what the last trainings were told. One per window (user, start), the latest
// decision winning; bounded to the history kept (older windows are gone from it) and to
// MAX_VERDICTS, the newest decisions kept. Written whole in one rename; an unreadable file is
// set aside as `problem` (the caller logs it) and the store starts empty: the manager sends
// the last 30 days again after each Hello, and scoring never waits on this file.
// Users are named in clear, as in history.ndjson beside it: the owner's account only (0600).
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Verdict, verdictFromJSON, verdictToJSON } from '@wardwatch/proto';
import type { VerdictKinds } from '@wardwatch/shared/agent';
import { z } from 'zod';
import { verdictKey, type WindowVerdicts } from '../windows/window-pipeline';
import { isDecisive, type DecisiveVerdict, type WindowVerdict } from './match-verdicts';

export const VERDICTS_FILE = 'verdicts.json';
/** Verdicts kept at most (a workstation's alerts of two months are far fewer). */
export const MAX_VERDICTS = 1_000;

const StoredFile = z.object({
  version: z.literal(1),
  verdicts: z
    .array(
      z.object({
        scoreId: z.string().max(128),
        user: z.string().min(1).max(512),
        windowStart: z.number().int(),
        // The proto enum's name ("VERDICT_BENIGN"): readable, and the .proto stays its one source.
        verdict: z.string().transform((name, ctx): DecisiveVerdict => {
          const verdict = verdictFromJSON(name);
          if (isDecisive(verdict)) return verdict;
          ctx.addIssue({ code: 'custom', message: `${name.slice(0, 40)} is not a verdict an analyst gives` });
          return z.NEVER;
        }),
        decidedAt: z.number().int(),
      }),
    )
    .max(MAX_VERDICTS),
});

export class VerdictStore {
  private readonly byWindow = new Map<string, WindowVerdict>();
  private effectsCache: WindowVerdicts | null = null;
  /** Why the file on disk was not read (the store started empty); null when it was, or there was none. */
  problem: string | null = null;

  private constructor(private readonly folder: string) {}

  /** Reads the file if there is one; windows before `keepFrom` are left out. Never throws for the file's content. */
  static open(folder: string, keepFrom: number): VerdictStore {
    const store = new VerdictStore(folder);
    const file = store.file;
    if (!existsSync(file)) return store;
    try {
      const parsed = StoredFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) {
        store.problem = `${VERDICTS_FILE} is not a verdict file: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
        return store;
      }
      for (const verdict of parsed.data.verdicts)
        if (verdict.windowStart >= keepFrom) store.byWindow.set(keyOf(verdict), verdict);
    } catch (error) {
      store.problem = `${VERDICTS_FILE} could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
    return store;
  }

  get file(): string {
    return join(this.folder, VERDICTS_FILE);
  }

  get size(): number {
    return this.byWindow.size;
  }

  /** The verdicts held by kind, and when the latest was decided (the agent's status shows them). */
  kinds(): VerdictKinds {
    const kinds: VerdictKinds = { falsePositive: 0, benign: 0, truePositive: 0, latestDecidedAt: null };
    for (const v of this.byWindow.values()) {
      if (v.verdict === Verdict.VERDICT_TRUE_POSITIVE) kinds.truePositive += 1;
      else if (v.verdict === Verdict.VERDICT_FALSE_POSITIVE) kinds.falsePositive += 1;
      else kinds.benign += 1;
      kinds.latestDecidedAt = Math.max(kinds.latestDecidedAt ?? v.decidedAt, v.decidedAt);
    }
    return kinds;
  }

  /** What each verdict means for learning (window-pipeline.ts): false positive and benign learn, true positive never. */
  effects(): WindowVerdicts {
    this.effectsCache ??= new Map(
      [...this.byWindow].map(([key, v]) => [key, v.verdict === Verdict.VERDICT_TRUE_POSITIVE ? 'never' : 'learn']),
    );
    return this.effectsCache;
  }

  /**
   * Takes the verdicts (a repeat changes nothing; a later decision on a window replaces the
   * earlier), drops windows before `keepFrom`, keeps the newest MAX_VERDICTS decisions, and
   * writes the file when anything changed. Returns how many were new or changed.
   */
  async add(verdicts: readonly WindowVerdict[], keepFrom: number): Promise<number> {
    let changed = 0;
    for (const verdict of verdicts) {
      const key = keyOf(verdict);
      const held = this.byWindow.get(key);
      if (held && (held.decidedAt > verdict.decidedAt || sameVerdict(held, verdict))) continue;
      this.byWindow.set(key, verdict);
      changed += 1;
    }
    const dropped = this.bound(keepFrom);
    if (changed + dropped === 0) return 0;
    this.effectsCache = null;
    await this.save();
    return changed;
  }

  private bound(keepFrom: number): number {
    let dropped = 0;
    for (const [key, verdict] of this.byWindow)
      if (verdict.windowStart < keepFrom) dropped += Number(this.byWindow.delete(key));
    if (this.byWindow.size > MAX_VERDICTS) {
      const oldest = [...this.byWindow].sort(([, a], [, b]) => a.decidedAt - b.decidedAt);
      for (const [key] of oldest.slice(0, this.byWindow.size - MAX_VERDICTS))
        dropped += Number(this.byWindow.delete(key));
    }
    return dropped;
  }

  private async save(): Promise<void> {
    const verdicts = [...this.byWindow.values()].map((v) => ({ ...v, verdict: verdictToJSON(v.verdict) }));
    const temp = `${this.file}.tmp`;
    await writeFile(temp, JSON.stringify({ version: 1, verdicts }), { mode: 0o600 });
    await rename(temp, this.file);
  }
}

const keyOf = (v: { user: string; windowStart: number }) => verdictKey(v.user, v.windowStart);

const sameVerdict = (a: WindowVerdict, b: WindowVerdict) => a.verdict === b.verdict && a.decidedAt === b.decidedAt;
