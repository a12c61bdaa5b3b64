// The manager's command keys this agent has pinned (command-keys.json in the data
// folder, 0600, written whole through a temporary file and a rename).
//
// Invariants:
// - A key is pinned only when its id is the first 16 hex digits of the SHA-256 of its
//   SubjectPublicKeyInfo and it is an Ed25519 key; anything else is dropped and said so.
// - Keys come from the enrollment answer (replacing none: a fresh data folder), from a
//   renewal answer only while none is pinned, and otherwise only from a verified
//   RotateCommandKeyAction: a renewal never replaces a pinned key.
// - After a rotation the signer stays pinned beside the new key until a command signed
//   by the new key has been verified; then the signer is retired.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandKey } from '@wardwatch/proto';
import { z } from 'zod';
import { writeAtomic } from '../../identity/identity-store';

export const COMMAND_KEYS_FILE = 'command-keys.json';

const StoredKey = z.object({
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  spki: z.string().min(1),
  pinnedAt: z.number().int(),
  /** Set on a key pinned by rotation: the signer it replaces once it has been used. */
  replaces: z.string().nullable().default(null),
});
type StoredKey = z.infer<typeof StoredKey>;
const StoredKeys = z.object({ keys: z.array(StoredKey).max(16) });

/** The id the contract gives a key: first 16 hex digits of SHA-256 over the SPKI DER. */
export function commandKeyId(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest('hex').slice(0, 16);
}

/** The Ed25519 public key, or why it cannot be pinned. */
export function checkCommandKey(key: CommandKey): { key: KeyObject } | { problem: string } {
  if (commandKeyId(key.publicKey) !== key.keyId) return { problem: 'key id does not match the public key' };
  let object: KeyObject;
  try {
    object = createPublicKey({ key: Buffer.from(key.publicKey), format: 'der', type: 'spki' });
  } catch {
    return { problem: 'not a public key (SPKI DER)' };
  }
  if (object.asymmetricKeyType !== 'ed25519') return { problem: 'not an Ed25519 key' };
  return { key: object };
}

export interface PinOutcome {
  pinned: string[];
  rejected: { keyId: string; problem: string }[];
}

export class CommandKeyStore {
  private keys: StoredKey[];
  private readonly objects = new Map<string, KeyObject>();

  constructor(
    readonly dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = this.read();
    for (const key of this.keys) this.remember(key);
  }

  ids(): string[] {
    return this.keys.map((k) => k.keyId);
  }

  get(keyId: string): KeyObject | undefined {
    return this.objects.get(keyId);
  }

  /** At enrollment: the keys of the enrollment answer (a fresh data folder holds none). */
  pinAtEnrollment(keys: CommandKey[]): PinOutcome {
    this.keys = [];
    this.objects.clear();
    return this.pinAll(keys, null);
  }

  /** From a renewal answer: only for an agent that holds none yet (enrolled before keys existed). */
  pinFromRenewal(keys: CommandKey[]): PinOutcome {
    if (this.keys.length > 0) return { pinned: [], rejected: [] };
    return this.pinAll(keys, null);
  }

  /** A verified rotation: `next` is pinned beside the signer, which it retires once used. */
  pinNext(next: CommandKey, signerKeyId: string): PinOutcome {
    if (this.objects.has(next.keyId)) return { pinned: [], rejected: [] };
    return this.pinAll([next], signerKeyId);
  }

  /** A command signed by `keyId` was verified: the key it replaces (if any) is retired now. */
  confirmUse(keyId: string): string | null {
    const key = this.keys.find((k) => k.keyId === keyId);
    if (!key?.replaces) return null;
    const retired = key.replaces;
    this.keys = this.keys.filter((k) => k.keyId !== retired).map((k) => (k === key ? { ...k, replaces: null } : k));
    this.objects.delete(retired);
    this.write();
    return retired;
  }

  private pinAll(keys: CommandKey[], replaces: string | null): PinOutcome {
    const outcome: PinOutcome = { pinned: [], rejected: [] };
    for (const key of keys) {
      const checked = checkCommandKey(key);
      if ('problem' in checked) {
        outcome.rejected.push({ keyId: key.keyId.slice(0, 32), problem: checked.problem });
        continue;
      }
      if (this.objects.has(key.keyId)) continue;
      const stored: StoredKey = {
        keyId: key.keyId,
        spki: Buffer.from(key.publicKey).toString('base64'),
        pinnedAt: this.now(),
        replaces,
      };
      this.keys.push(stored);
      this.objects.set(key.keyId, checked.key);
      outcome.pinned.push(key.keyId);
    }
    if (outcome.pinned.length > 0) this.write();
    return outcome;
  }

  private remember(key: StoredKey): void {
    const checked = checkCommandKey({ keyId: key.keyId, publicKey: Buffer.from(key.spki, 'base64') });
    if ('key' in checked) this.objects.set(key.keyId, checked.key);
  }

  private path(): string {
    return join(this.dataDir, COMMAND_KEYS_FILE);
  }

  private read(): StoredKey[] {
    if (!existsSync(this.path())) return [];
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.path(), 'utf8'));
    } catch {
      throw new Error(`${this.path()} is damaged: not JSON`);
    }
    const parsed = StoredKeys.safeParse(json);
    if (!parsed.success) throw new Error(`${this.path()} is damaged: ${parsed.error.issues[0]?.message}`);
    return parsed.data.keys;
  }

  private write(): void {
    writeAtomic(this.path(), `${JSON.stringify({ keys: this.keys }, null, 2)}\n`, 0o600);
  }
}
