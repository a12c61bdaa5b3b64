import { describe, expect, it } from 'vitest';
import { auditHash, canonicalJson, GENESIS_HASH, verifyChain, type AuditRow } from './audit-chain';

function chain(n: number): AuditRow[] {
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
    const hash = auditHash(prev, content);
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
    expect(verifyChain(chain(5))).toMatchObject({ ok: true, rows: 5 });
  });

  it('finds an edited row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], target: 'someone-else' };
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('finds a deleted row', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('finds a row whose hash was recomputed after an edit (the next link breaks)', () => {
    const rows = chain(4);
    const edited = { ...rows[1], actor: 'mallory' };
    rows[1] = { ...edited, hash: auditHash(edited.prevHash, edited) };
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });
});
