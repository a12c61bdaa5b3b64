// The key that seals webhook secrets, in a file outside the database like mfa.key and
// audit.key: by default `forwarding.key` in the data folder, mode 0600;
// WARDWATCH_FORWARD_KEY_FILE moves it. A database dump alone then holds no secret that
// could forge our signatures to a SIEM. Every replica must use the same file; losing it
// means re-entering each webhook's secret.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const FILE_MODE = 0o600;

const KeyFile = z.object({
  version: z.literal(1),
  key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  createdAt: z.number().int(),
});

/**
 * Reads the key file, or makes it (exclusively, so two replicas starting at once agree on
 * one). A damaged file is an error, never replaced: that would lose every sealed secret.
 */
export function loadOrCreateForwardKey(file: string, now: number): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const key = randomBytes(32);
    try {
      writeFileSync(file, `${JSON.stringify({ version: 1, key: key.toString('base64'), createdAt: now })}\n`, {
        mode: FILE_MODE,
        flag: 'wx',
      });
      return key;
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
      text = readFileSync(file, 'utf8');
    }
  }
  chmodSync(file, FILE_MODE);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = KeyFile.safeParse(json);
  if (!parsed.success) throw new Error(`the forwarding key file ${file} is damaged; restore it from a backup`);
  return Buffer.from(parsed.data.key, 'base64');
}

/** Injection token of the loaded key. */
export const FORWARD_KEY = Symbol('ForwardKey');
