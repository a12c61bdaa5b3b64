import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NONCE_BYTES, RecordSealer, SEAL_OVERHEAD, TAG_BYTES } from './record-sealer';

describe('RecordSealer', () => {
  const key = randomBytes(32);

  it('seals into a caller buffer exactly what seal returns: standard AES-256-GCM over context ‖ clear', () => {
    const nonce = randomBytes(NONCE_BYTES);
    const sealer = new RecordSealer(key, () => nonce);
    const plain = randomBytes(300);
    const clear = randomBytes(18);
    const out = Buffer.alloc(5 + SEAL_OVERHEAD + plain.length + 3, 0xee);
    sealer.sealInto(plain, clear, out, 5);
    const sealed = out.subarray(5, out.length - 3);
    expect(sealed.equals(sealer.seal(plain, clear))).toBe(true);
    expect(out.subarray(0, 5).equals(Buffer.alloc(5, 0xee))).toBe(true); // nothing written outside
    expect(out.subarray(out.length - 3).equals(Buffer.alloc(3, 0xee))).toBe(true);
    // Read back with plain node:crypto: the on-disk format is unchanged.
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.concat([Buffer.from('wardwatch-outbox-v1'), clear]));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
    expect(Buffer.concat([decipher.update(body), decipher.final()]).equals(plain)).toBe(true);
  });

  it('authenticates each record with its own clear bytes, also when clear bytes of other lengths came between', () => {
    const sealer = new RecordSealer(key);
    const first = sealer.seal(Buffer.from('one'), Buffer.from('header-1'));
    const second = sealer.seal(Buffer.from('two'), Buffer.from('a longer header 2'));
    expect(sealer.open(first, Buffer.from('header-1'))?.toString()).toBe('one');
    expect(sealer.open(second, Buffer.from('a longer header 2'))?.toString()).toBe('two');
    expect(sealer.open(first, Buffer.from('header-2'))).toBeNull();
    const altered = Buffer.from(second);
    altered[NONCE_BYTES] ^= 1;
    expect(sealer.open(altered, Buffer.from('a longer header 2'))).toBeNull();
  });
});
