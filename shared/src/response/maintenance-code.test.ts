import { describe, expect, it } from 'vitest';
import { formatMaintenanceCode, parseMaintenanceCode } from './maintenance-code';

const payload = {
  v: 1,
  codeId: 'code-0001',
  agentId: 'agent-7',
  issuedAtMs: 1_000,
  expiresAtMs: 2_000,
  maxMinutes: 60,
  issuedBy: 'user-1',
};

describe('maintenance code text form', () => {
  it('round-trips payload, signature and key id', () => {
    const bytes = Buffer.from(JSON.stringify(payload));
    const text = formatMaintenanceCode(bytes, Buffer.alloc(64, 7), '0123456789abcdef');
    const parsed = parseMaintenanceCode(text);
    expect(parsed?.payload).toEqual(payload);
    expect(Buffer.from(parsed!.signedBytes).equals(bytes)).toBe(true);
    expect(parsed?.signature.length).toBe(64);
  });

  it('refuses text that is not a code', () => {
    const bytes = Buffer.from(JSON.stringify({ ...payload, maxMinutes: 9999 }));
    for (const text of [
      '',
      'a.b',
      'a.b.c.d',
      formatMaintenanceCode(bytes, Buffer.alloc(64), '0123456789abcdef'),
      formatMaintenanceCode(Buffer.from('not json'), Buffer.alloc(64), '0123456789abcdef'),
      formatMaintenanceCode(Buffer.from(JSON.stringify(payload)), Buffer.alloc(64), 'NOTHEX'),
    ])
      expect(parseMaintenanceCode(text)).toBeNull();
  });
});
