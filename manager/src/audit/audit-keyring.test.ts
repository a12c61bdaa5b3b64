import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_KEY_FILE, loadOrCreateKeyring } from './audit-keyring';

const folder = mkdtempSync(join(tmpdir(), 'ww-audit-key-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('audit keyring', () => {
  it('is made at first start (0600, keyed from one past the head) and read back the same later', async () => {
    const file = join(folder, AUDIT_KEY_FILE);
    const made = await loadOrCreateKeyring(file, () => Promise.resolve(42), 1_000);
    expect(made.keyedFromSeq).toBe(42);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateKeyring(file, () => Promise.reject(new Error('not asked')), 2_000);
    expect(again.keyedFromSeq).toBe(42);
    expect(again.hmacKey.equals(made.hmacKey)).toBe(true);
    expect(again.publicKey.export({ format: 'jwk' })).toEqual(made.publicKey.export({ format: 'jwk' }));
  });

  it('refuses a damaged file rather than replacing it', async () => {
    const file = join(folder, 'damaged.key');
    writeFileSync(file, '{"version":1}', { mode: 0o600 });
    await expect(loadOrCreateKeyring(file, () => Promise.resolve(1), 0)).rejects.toThrow(/damaged/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1}');
  });
});
