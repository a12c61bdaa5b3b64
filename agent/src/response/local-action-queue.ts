// LocalAction messages (break-glass, maintenance, local undo) wait in local-actions.json
// (0600) until written to an accepted stream. There is no acknowledgement for them:
// one written just before the stream broke may be lost or sent twice; the manager
// ignores a repeated id.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalAction } from '@wardwatch/proto';
import { z } from 'zod';
import { writeAtomic } from '../identity/identity-store';

export const LOCAL_ACTIONS_FILE = 'local-actions.json';
const MAX_QUEUED = 1_000;

const Stored = z.object({
  id: z.string(),
  timeMs: z.number(),
  kind: z.string(),
  user: z.string(),
  reason: z.string(),
  durationSeconds: z.number(),
  commandId: z.string(),
});

export class LocalActionQueue {
  private queued: LocalAction[];

  constructor(readonly dataDir: string) {
    const path = join(dataDir, LOCAL_ACTIONS_FILE);
    const parsed = existsSync(path) ? z.array(Stored).safeParse(safeJson(readFileSync(path, 'utf8'))) : null;
    this.queued = parsed?.success ? parsed.data : [];
  }

  push(action: LocalAction): void {
    this.queued = [...this.queued, action].slice(-MAX_QUEUED);
    this.write();
  }

  /** Everything waiting, removed from the file (the caller writes them to the stream). */
  drain(): LocalAction[] {
    const out = this.queued;
    if (out.length === 0) return out;
    this.queued = [];
    this.write();
    return out;
  }

  get size(): number {
    return this.queued.length;
  }

  private write(): void {
    writeAtomic(join(this.dataDir, LOCAL_ACTIONS_FILE), `${JSON.stringify(this.queued)}\n`, 0o600);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
