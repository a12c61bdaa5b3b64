// The OPRF token cache on disk, so that a restart does not ask the manager again for every
// value (and works offline for values already seen). `pseudonym-cache.json`, 0600 in the
// agent's data folder, written atomically at most every `intervalMs` and at shutdown.
//
// What it exposes: clear values seen on THIS workstation beside their tokens — the same
// clear values its own logs hold, so someone who can read it could already read them. It
// does not let anyone compute the token of a value this workstation never saw (the staff
// list): that needs the manager's key, which never leaves the manager. Not encrypted: the
// key to encrypt it would sit on the same disk, beside the logs it would pretend to hide.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { OprfTokens } from './oprf-tokens';

export const OPRF_CACHE_FILE = 'pseudonym-cache.json';

const Stored = z.object({
  keyId: z.string().max(64),
  tokens: z.array(z.object({ input: z.string().max(8_192), mac: z.string().regex(/^[0-9a-f]{16}$/) })).max(1_000_000),
});
export type StoredCache = z.infer<typeof Stored>;

/** The cache a previous run saved, or undefined (none, unreadable, or written by something else). */
export function loadOprfCache(dataDir: string): StoredCache | undefined {
  const file = join(dataDir, OPRF_CACHE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = Stored.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export class OprfCacheFile {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly tokens: OprfTokens,
    private readonly intervalMs = 30_000,
  ) {}

  saveSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.save(), this.intervalMs);
    this.timer.unref();
  }

  save(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const keyId = this.tokens.keyId;
    if (keyId === undefined) return;
    const file = join(this.dataDir, OPRF_CACHE_FILE);
    writeFileSync(`${file}.tmp`, JSON.stringify({ keyId, tokens: this.tokens.entries() }), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
}
