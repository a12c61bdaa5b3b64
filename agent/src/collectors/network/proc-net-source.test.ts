// ProcNetSource on a /proc tree written by the test (real files): the TCP tables
// are read again only when the ActiveOpens counter moved.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseActiveOpens, ProcNetSource } from './proc-net-source';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const line = (sl: number, localPort: string, inode: number) =>
  `   ${sl}: 0F02000A:${localPort} 2200A8C0:01BB 01 00000000:00000000 02:000A7B1C 00000000  1000        0 ${inode} 2\n`;
const snmp = (activeOpens: number) =>
  `Ip: Forwarding DefaultTTL\nIp: 1 64\nTcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens\nTcp: 1 200 120000 -1 ${activeOpens} 7\n`;

describe('ProcNetSource', () => {
  it('reads the TCP tables only when a connection was opened since the last poll', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ww-procnet-'));
    dirs.push(root);
    mkdirSync(join(root, 'net'));
    writeFileSync(join(root, 'net', 'snmp'), snmp(5));
    writeFileSync(join(root, 'net', 'tcp'), header + line(0, 'C350', 100));
    const source = new ProcNetSource({ root, users: { name: () => 'nurse.jones' } });
    expect((await source.snapshot()).connections.map((c) => c.key)).toEqual(['100']);

    writeFileSync(join(root, 'net', 'tcp'), header + line(0, 'C350', 100) + line(1, 'C351', 101));
    expect((await source.snapshot()).connections.map((c) => c.key)).toEqual(['100']); // counter unchanged: not read
    expect(source.tcpReads).toEqual({ read: 1, skipped: 1 });

    writeFileSync(join(root, 'net', 'snmp'), snmp(6));
    expect((await source.snapshot()).connections.map((c) => c.key)).toEqual(['100', '101']);
    expect(source.tcpReads).toEqual({ read: 2, skipped: 1 });

    const always = new ProcNetSource({ root, alwaysReadTcp: true, users: { name: () => '' } });
    await always.snapshot();
    await always.snapshot();
    expect(always.tcpReads).toEqual({ read: 2, skipped: 0 });
  });

  it('reads the tables every poll when /proc/net/snmp is missing or unreadable', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ww-procnet-'));
    dirs.push(root);
    mkdirSync(join(root, 'net'));
    writeFileSync(join(root, 'net', 'tcp'), header + line(0, 'C350', 100));
    const source = new ProcNetSource({ root, users: { name: () => '' } });
    await source.snapshot();
    writeFileSync(join(root, 'net', 'snmp'), 'Tcp: garbage\n');
    await source.snapshot();
    await source.snapshot();
    expect(source.tcpReads).toEqual({ read: 3, skipped: 0 });
  });

  it('parseActiveOpens reads the counter and never throws', () => {
    expect(parseActiveOpens(snmp(3243))).toBe(3243);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 40 }), (text, prefix) => {
        const value = parseActiveOpens(`${prefix}${text}`);
        if (value !== undefined) expect(Number.isSafeInteger(value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
