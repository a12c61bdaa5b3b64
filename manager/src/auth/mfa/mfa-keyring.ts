// The key that protects second factors, kept in a file outside the database like the
// audit key (audit/audit-keyring.ts): by default `mfa.key` in the data folder, mode 0600;
// WARDWATCH_MFA_KEY_FILE moves it. Someone holding only the database (a dump, a
// backup) then holds TOTP secrets they cannot decrypt, recovery-code hashes they cannot
// test offline, and cannot forge a pending sign-in token. Three keys are derived from
// the one in the file (HKDF-SHA-256), one per use. Every replica must use the same file;
// losing it means every user must enrol again (an admin resets them).
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const FILE_MODE = 0o600;

const KeyFile = z.object({
  version: z.literal(1),
  key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  createdAt: z.number().int(),
});

export interface MfaKeyring {
  /** AES-256-GCM key of the stored TOTP secrets. */
  secretKey: Buffer;
  /** HMAC key under which recovery codes are stored. */
  recoveryKey: Buffer;
  /** HMAC key that signs pending sign-in tokens. */
  pendingKey: Buffer;
}

/** The three keys of one master key. */
export function deriveMfaKeyring(master: Buffer): MfaKeyring {
  const derive = (use: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `wardwatch mfa ${use}`, 32));
  return { secretKey: derive('secret'), recoveryKey: derive('recovery'), pendingKey: derive('pending') };
}

/**
 * Reads the key file, or makes it (exclusively, so two replicas starting at once agree on
 * one). A file that exists but does not parse is an error, never replaced: replacing it
 * would make every stored secret unreadable.
 */
export function loadOrCreateMfaKeyring(file: string, now: number): MfaKeyring {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const master = randomBytes(32);
    try {
      const body = { version: 1, key: master.toString('base64'), createdAt: now };
      writeFileSync(file, `${JSON.stringify(body)}\n`, { mode: FILE_MODE, flag: 'wx' });
      return deriveMfaKeyring(master);
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
      text = readFileSync(file, 'utf8');
    }
  }
  chmodSync(file, FILE_MODE);
  const parsed = KeyFile.safeParse(safeJson(text));
  if (!parsed.success) throw new Error(`the MFA key file ${file} is damaged; restore it from a backup`);
  return deriveMfaKeyring(Buffer.from(parsed.data.key, 'base64'));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Injection token of the loaded keyring. */
export const MFA_KEYRING = Symbol('MfaKeyring');
