import { describe, expect, it } from 'vitest';
import { derElement, derOid } from './der';

describe('der', () => {
  it('encodes object identifiers, multi-byte arcs included', () => {
    expect(derOid('2.5.4.3').toString('hex')).toBe('0603550403');
    expect(derOid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
  });

  it('uses the short length form below 128 bytes and the long form from 128', () => {
    expect(derElement(0x04, Buffer.alloc(127)).subarray(0, 2).toString('hex')).toBe('047f');
    expect(derElement(0x04, Buffer.alloc(128)).subarray(0, 3).toString('hex')).toBe('048180');
    expect(derElement(0x04, Buffer.alloc(300)).subarray(0, 4).toString('hex')).toBe('0482012c');
  });
});
