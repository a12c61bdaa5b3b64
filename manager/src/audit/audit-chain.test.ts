import { describe, expect, it } from 'vitest';
import {
  auditHash,
  auditMac,
  canonicalJson,
  chainLink,
  GENESIS_HASH,
  verifyChain,
  type AuditRow,
  type ChainKey,
} from './audit-chain';

const KEY: ChainKey = { hmacKey: Buffer.alloc(32, 7), keyedFromSeq: 1 };

function chain(n: number, key: ChainKey = KEY): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      seq,
      timeMs: 1_000 + seq,
      actor: 'admin',
      action: 'agent.revoke',
      target: `agent-${seq}`,
      details: { b: 1, a: [seq] },
    };
    const hash = chainLink(key, prev, content);
    rows.push({ ...content, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('audit chain', () => {
  it('sorts keys at every level so equal content hashes equally', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe(
      '{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}',
    );
  });

  it('accepts an untouched chain', () => {
    expect(verifyChain(chain(5), KEY)).toMatchObject({ ok: true, rows: 5 });
  });

  it('finds an edited row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], target: 'someone-else' };
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('finds a deleted row', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('finds a row whose MAC was recomputed under another key (the next link breaks, or its own)', () => {
    const rows = chain(4);
    const edited = { ...rows[1], actor: 'mallory' };
    rows[1] = { ...edited, hash: auditMac(Buffer.alloc(32, 9), edited.prevHash, edited) };
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('finds a whole table rewritten with plain hashes, which an unkeyed chain accepted', () => {
    const rows = chain(4);
    let prev = GENESIS_HASH;
    const rewritten = rows.map((row) => {
      const hash = auditHash(prev, { ...row, actor: 'mallory' });
      const out = { ...row, actor: 'mallory', prevHash: prev, hash };
      prev = hash;
      return out;
    });
    expect(verifyChain(rewritten, { ...KEY, keyedFromSeq: 99 })).toMatchObject({ ok: true });
    expect(verifyChain(rewritten, KEY)).toMatchObject({ ok: false, brokenAtSeq: 1 });
  });

  it('keeps plain hashes before keyedFromSeq and keys the rest, the first keyed row covering the plain head', () => {
    const key = { ...KEY, keyedFromSeq: 3 };
    const rows = chain(5, key);
    expect(rows[1].hash).toBe(auditHash(rows[1].prevHash, rows[1]));
    expect(rows[2].hash).toBe(auditMac(key.hmacKey, rows[2].prevHash, rows[2]));
    expect(verifyChain(rows, key)).toMatchObject({ ok: true, rows: 5 });
    // Rewriting the plain segment consistently still breaks the link of the first keyed row.
    const first = { ...rows[0], actor: 'mallory' };
    rows[0] = { ...first, hash: auditHash(GENESIS_HASH, first) };
    rows[1] = { ...rows[1], prevHash: rows[0].hash, hash: auditHash(rows[0].hash, rows[1]) };
    expect(verifyChain(rows, key)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });
});
