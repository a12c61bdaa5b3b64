// Local accounts from /etc/passwd and /etc/shadow (read-only; changes go through usermod).
import { readFileSync } from 'node:fs';

/** The uid /etc/passwd gives the name, or undefined when the name is not a local account. */
export function passwdUid(passwdPath: string, name: string): number | undefined {
  for (const line of readLines(passwdPath)) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 7) {
      const uid = Number(fields[2]);
      return Number.isInteger(uid) ? uid : undefined;
    }
  }
  return undefined;
}

export interface ShadowEntry {
  locked: boolean;
  /** Field 8: days since 1970-01-01 after which the account is expired; null = never. */
  expireDays: number | null;
}

export function shadowEntry(shadowPath: string, name: string): ShadowEntry | undefined {
  for (const line of readLines(shadowPath)) {
    const fields = line.split(':');
    if (fields[0] !== name || fields.length < 8) continue;
    const expire = fields[7] === '' ? null : Number(fields[7]);
    return {
      locked: fields[1].startsWith('!'),
      expireDays: expire !== null && Number.isInteger(expire) ? expire : null,
    };
  }
  return undefined;
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n');
  } catch {
    return [];
  }
}
