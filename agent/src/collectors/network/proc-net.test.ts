import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexAddress, parseProcNet } from './proc-net';

const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const tcp =
  header +
  [
    '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000   105        0 7259 1 000000000d907f5e 100 0 0 10 0',
    '   1: 0F02000A:C350 2200A8C0:01BB 01 00000000:00000000 02:000A7B1C 00000000  1000        0 93159 2 0000000058a5836a 20 4 30 10 -1',
  ].join('\n');
const tcp6 =
  header +
  [
    '   0: 00000000000000000000000001000000:18EB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5216 1 00000000ae9b020b 100 0 0 10 0',
    '   1: 0000000000000000FFFF00000F02000A:D431 0000000000000000FFFF00002200A8C0:0050 01 00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 20 4 30 10 -1',
    '   2: B80D0120000000000000000001000000:D432 B80D0120000000000000000002000000:01BB 02 00000000:00000000 00:00000000 00000000  1000        0 778 1 0000000000000000 20 4 30 10 -1',
  ].join('\n');

describe('parseProcNet', () => {
  it('decodes IPv4, IPv6 and v4-mapped addresses, ports, state, uid and inode (little-endian kernel words)', () => {
    expect(parseProcNet(tcp, 'tcp', true)).toEqual({
      errors: [],
      sockets: [
        {
          protocol: 'tcp',
          localAddress: '127.0.0.1',
          localPort: 8080,
          remoteAddress: '0.0.0.0',
          remotePort: 0,
          state: 10,
          uid: 105,
          inode: 7259,
        },
        {
          protocol: 'tcp',
          localAddress: '10.0.2.15',
          localPort: 50000,
          remoteAddress: '192.168.0.34',
          remotePort: 443,
          state: 1,
          uid: 1000,
          inode: 93159,
        },
      ],
    });
    expect(
      parseProcNet(tcp6, 'tcp', true).sockets.map((s) => [
        s.localAddress,
        s.localPort,
        s.remoteAddress,
        s.remotePort,
        s.state,
      ]),
    ).toEqual([
      ['::1', 6379, '::', 0, 10],
      ['10.0.2.15', 54321, '192.168.0.34', 80, 1],
      ['2001:db8::1', 54322, '2001:db8::2', 443, 2],
    ]);
  });

  it('reads big-endian kernels too', () => {
    expect(hexAddress('7F000001', false)).toBe('127.0.0.1');
    expect(hexAddress('20010DB8000000000000000000000001', false)).toBe('2001:db8::1');
  });

  it('counts lines it cannot read and keeps the others', () => {
    const { sockets, errors } = parseProcNet(
      `${tcp}\n   2: ZZZZ:0000 00000000:0000 01\n   3: 0100007F:1F90 00000000000000000000000000000000:0000 01 0 0 0 0 0 0 1\n`,
      'tcp',
      true,
    );
    expect(sockets).toHaveLength(2);
    expect(errors).toEqual(['/proc/net/tcp line not understood', '/proc/net/tcp line not understood']);
  });

  it.runIf(process.platform === 'linux')("reads this machine's tables without an error", () => {
    for (const [file, protocol] of [
      ['tcp', 'tcp'],
      ['tcp6', 'tcp'],
      ['udp', 'udp'],
      ['udp6', 'udp'],
    ] as const) {
      let text: string;
      try {
        text = readFileSync(`/proc/net/${file}`, 'latin1');
      } catch {
        continue;
      }
      expect(parseProcNet(text, protocol).errors).toEqual([]);
    }
  });

  it('never throws: every line after the header is a socket or a counted error', () => {
    const lines = [...tcp.split('\n').slice(1), ...tcp6.split('\n').slice(1)];
    const fragments = [...new Set(lines.flatMap((l) => l.split(/(?<=[ :])/)))];
    const line = fc.oneof(
      fc.array(fc.constantFrom(...fragments), { maxLength: 24 }).map((p) => p.join('')),
      fc.tuple(fc.constantFrom(...lines), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), fc.boolean(), (body, le) => {
        const text = `${header}${body.join('\n')}`;
        const { sockets, errors } = parseProcNet(text, 'tcp', le);
        expect(sockets.length + errors.length).toBe(
          text
            .split('\n')
            .slice(1)
            .filter((l) => l.trim() !== '').length,
        );
        for (const s of sockets) {
          expect(s.localPort).toBeGreaterThanOrEqual(0);
          expect(s.localPort).toBeLessThan(65_536);
          expect(Number.isSafeInteger(s.inode)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
