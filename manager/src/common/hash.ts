import { createHash } from 'node:crypto';

/** Secrets we must recognise later (session cookies, enrollment tokens) are stored only as this hash. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
