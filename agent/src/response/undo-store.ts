// What reversible actions left behind (UndoRecord), by command id, in undo-records.json
// (0600, written whole). A record leaves the store only once its undo succeeded, so a
// block or a disabled account is never forgotten while still in force; one whose
// expiry passed while the agent was down is undone at the next start.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { UndoRecord } from './actions/response-actions';
import { writeAtomic } from '../identity/identity-store';

export const UNDO_FILE = 'undo-records.json';

const Stored = z.object({
  commandId: z.string(),
  createdAt: z.number().int(),
  record: z.object({
    kind: z.enum(['unblock_removable', 'enable_account', 'unlock']),
    data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    expiresAtMs: z.number().nullable(),
  }),
});
export type StoredUndo = z.infer<typeof Stored>;

export class UndoStore {
  private records: StoredUndo[];

  constructor(readonly dataDir: string) {
    this.records = this.read();
  }

  add(commandId: string, record: UndoRecord, now: number): void {
    this.records = [...this.records.filter((r) => r.commandId !== commandId), { commandId, createdAt: now, record }];
    this.write();
  }

  get(commandId: string): StoredUndo | undefined {
    return this.records.find((r) => r.commandId === commandId);
  }

  remove(commandId: string): void {
    this.records = this.records.filter((r) => r.commandId !== commandId);
    this.write();
  }

  /** Records whose own expiry has passed. */
  expired(now: number): StoredUndo[] {
    return this.records.filter((r) => r.record.expiresAtMs !== null && r.record.expiresAtMs <= now);
  }

  /** When the next record expires, or null. */
  nextExpiry(): number | null {
    const times = this.records.flatMap((r) => (r.record.expiresAtMs === null ? [] : [r.record.expiresAtMs]));
    return times.length > 0 ? Math.min(...times) : null;
  }

  all(): readonly StoredUndo[] {
    return this.records;
  }

  private read(): StoredUndo[] {
    const path = join(this.dataDir, UNDO_FILE);
    if (!existsSync(path)) return [];
    const parsed = z.array(Stored).safeParse(safeJson(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path} is damaged: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  private write(): void {
    writeAtomic(join(this.dataDir, UNDO_FILE), `${JSON.stringify(this.records)}\n`, 0o600);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
