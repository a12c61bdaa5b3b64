// The OPRF token cache on disk, so that a restart does not ask the manager again for every
// value (and works offline for values already seen). `pseudonym-cache.json`, 0600 in the
// agent's data folder, written atomically at most every `intervalMs` and at shutdown.
//
// What it exposes: clear values seen on THIS workstation beside their tokens — the same
// clear values its own logs hold, so someone who can read it could already read them — and,
// for each folder it saw a file in, that folder's key (32 bytes of the PRF output): with it,
// the token of ANY file name in that folder can be computed offline (names of a folder this
// workstation could usually list); likewise for each network (/24, /64) it saw an address
// in, the token of any address of that network. It does not let anyone compute the token of
// a user, host or device this workstation never saw, nor of a file in a folder or an address
// in a network it never asked for: those need the manager's key, which never leaves the
// manager. Not encrypted: the key to encrypt it would sit on the same disk, beside the logs
// it would pretend to hide.
//
// Format 3 (`version: 3`, `entries`): paths are keyed by folder and addresses by network
// (oprf-tokens.ts). Older files are read for their other values only, their entries of a
// kind that has since become keyed by a group dropped, never taken for group keys: format 2
// (addresses one PRF value each) loses its `ip` entries, format 1 (no version, `tokens`: one
// MAC per path too) its `ip` and `path` entries.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isGroupInput, type CachedToken, type OprfTokens } from './oprf-tokens';

export const OPRF_CACHE_FILE = 'pseudonym-cache.json';

export const OPRF_CACHE_VERSION = 3;

const MAC = /^[0-9a-f]{16}$/;
const GROUP_KEY = /^[0-9a-f]{64}$/;

/** Formats 3 and 2: a folder's or a network's entry holds its key (64 hex), any other a MAC (16 hex). */
const Stored = z.object({
  version: z.union([z.literal(OPRF_CACHE_VERSION), z.literal(2)]),
  keyId: z.string().max(64),
  entries: z
    .array(
      z
        .object({ input: z.string().max(8_192), value: z.string() })
        .refine(({ input, value }) => (isGroupInput(input) ? GROUP_KEY : MAC).test(value), {
          message: 'a folder or a network holds a 64-hex key, any other value a 16-hex MAC',
        }),
    )
    .max(1_000_000),
});

/** Format 1 (before group keys): one 16-hex MAC per value, paths and addresses included. */
const StoredV1 = z.object({
  keyId: z.string().max(64),
  tokens: z.array(z.object({ input: z.string().max(8_192), mac: z.string().regex(MAC) })).max(1_000_000),
});

export interface StoredCache {
  keyId: string;
  tokens: CachedToken[];
}

/** The cache a previous run saved, or undefined (none, unreadable, or written by something else). */
export function loadOprfCache(dataDir: string): StoredCache | undefined {
  const file = join(dataDir, OPRF_CACHE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const current = Stored.safeParse(json);
    if (current.success) {
      const { version, keyId, entries } = current.data;
      return { keyId, tokens: version === OPRF_CACHE_VERSION ? entries : entries.filter(notGrouped) };
    }
    const old = StoredV1.safeParse(json);
    if (!old.success) return undefined;
    const tokens = old.data.tokens.map(({ input, mac }) => ({ input, value: mac })).filter(notGrouped);
    return { keyId: old.data.keyId, tokens };
  } catch {
    return undefined;
  }
}

/**
 * False for an older format's path or address MAC: one PRF value per path or address, no token
 * of the current format (an address that is not one still is, but is asked again, once).
 */
function notGrouped({ input }: CachedToken): boolean {
  return !input.startsWith('path\0') && !input.startsWith('ip\0');
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
    const stored = { version: OPRF_CACHE_VERSION, keyId, entries: this.tokens.entries() };
    writeFileSync(`${file}.tmp`, JSON.stringify(stored), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
}
