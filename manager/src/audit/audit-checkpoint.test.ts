import { describe, expect, it } from 'vitest';
import { chainLink, GENESIS_HASH, type AuditRow } from './audit-chain';
import { checkAgainstCheckpoints, parseCheckpoints, signCheckpoint } from './audit-checkpoint';
import { freshKeyring } from './audit-keyring';

const keyring = freshKeyring(1);

function rows(n: number): AuditRow[] {
  const out: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = { seq, timeMs: seq, actor: 'a', action: 'x', target: 't', details: {} };
    const hash = chainLink(keyring, prev, content);
    out.push({ ...content, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const at = (all: AuditRow[], n: number) =>
  signCheckpoint(keyring, { lastSeq: n, count: n, lastMac: all[n - 1].hash, timeMs: 1_000 * n });

describe('audit checkpoints', () => {
  it('round-trips signed lines and accepts the rows they name', () => {
    const all = rows(6);
    const text = [at(all, 3), at(all, 6)].map((c) => JSON.stringify(c)).join('\n');
    const parsed = parseCheckpoints(`${text}\n`, keyring);
    expect(parsed).toMatchObject({ ok: true });
    expect(checkAgainstCheckpoints(all, parsed.ok ? parsed.checkpoints : [])).toEqual({ ok: true });
  });

  it('refuses a line signed by another key, or altered', () => {
    const all = rows(3);
    const foreign = signCheckpoint(freshKeyring(1), { lastSeq: 3, count: 3, lastMac: all[2].hash, timeMs: 1 });
    expect(parseCheckpoints(JSON.stringify(foreign), keyring)).toMatchObject({ ok: false, line: 1 });
    const altered = { ...at(all, 3), lastSeq: 2 };
    expect(parseCheckpoints(`\n${JSON.stringify(altered)}`, keyring)).toMatchObject({ ok: false, line: 2 });
    expect(parseCheckpoints('not json', keyring)).toMatchObject({ ok: false, line: 1 });
  });

  it('finds the newest rows deleted, and a signed row replaced', () => {
    const all = rows(6);
    const cps = [at(all, 3), at(all, 6)];
    expect(checkAgainstCheckpoints(all.slice(0, 4), cps)).toMatchObject({ ok: false, badSeq: 6 });
    const other = rows(6).map((r, i) => (i === 5 ? { ...r, hash: 'f'.repeat(64) } : r));
    expect(checkAgainstCheckpoints(other, cps)).toMatchObject({ ok: false, badSeq: 6 });
  });
});
