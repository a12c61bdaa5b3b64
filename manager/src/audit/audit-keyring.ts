// The audit trail's keys, kept in a file outside the database (by default
// `audit.key` in the data folder, mode 0600; WARDWATCH_AUDIT_KEY_FILE moves it, e.g. to
// a volume the database administrator cannot read). It holds:
// - the HMAC key of the chain (audit-chain.ts),
// - the Ed25519 key that signs checkpoints (audit-checkpoint.ts),
// - `keyedFromSeq`, the first row written under the key: the rows before it were
//   written by a manager without a key and keep their plain hashes.
// The file is made at the first start that lacks it, with `keyedFromSeq` one past the
// table's head at that moment. Every manager replica must use the same file. Losing
// it means the keyed rows can no longer be verified: back it up with the PKI.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { ChainKey } from './audit-chain';

export const AUDIT_KEY_FILE = 'audit.key';
const FILE_MODE = 0o600;

const KeyFile = z.object({
  version: z.literal(1),
  hmacKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  signingKey: z.string().startsWith('-----BEGIN PRIVATE KEY-----'),
  keyedFromSeq: z.number().int().min(1),
  createdAt: z.number().int(),
});

export interface AuditKeyring extends ChainKey {
  signingKey: KeyObject;
  publicKey: KeyObject;
}

/** Keys made in memory (tests, and the CLI that writes one row before the manager has run). */
export function freshKeyring(keyedFromSeq: number): AuditKeyring {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { hmacKey: randomBytes(32), keyedFromSeq, signingKey: privateKey, publicKey };
}

/**
 * Reads the key file, or makes it when missing (`nextSeq` then names the first keyed
 * row). A file that exists but does not parse is an error, never replaced: replacing
 * it would silently give up verifying every row written under it.
 */
export async function loadOrCreateKeyring(
  file: string,
  nextSeq: () => Promise<number>,
  now: number,
): Promise<AuditKeyring> {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === undefined) {
    const keyring = freshKeyring(await nextSeq());
    const body = {
      version: 1,
      hmacKey: keyring.hmacKey.toString('base64'),
      signingKey: keyring.signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      keyedFromSeq: keyring.keyedFromSeq,
      createdAt: now,
    };
    try {
      writeFileSync(file, `${JSON.stringify(body)}\n`, { mode: FILE_MODE, flag: 'wx' });
      return keyring;
    } catch (error) {
      // Another replica made it between our read and write: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      text = readFileSync(file, 'utf8');
    }
  }
  chmodSync(file, FILE_MODE);
  return parseKeyFile(text, file);
}

function parseKeyFile(text: string, file: string): AuditKeyring {
  let parsed: z.infer<typeof KeyFile>;
  try {
    parsed = KeyFile.parse(JSON.parse(text));
  } catch {
    throw new Error(`the audit key file ${file} is damaged; restore it from a backup`);
  }
  const signingKey = createPrivateKey(parsed.signingKey);
  return {
    hmacKey: Buffer.from(parsed.hmacKey, 'base64'),
    keyedFromSeq: parsed.keyedFromSeq,
    signingKey,
    publicKey: createPublicKey(signingKey),
  };
}
