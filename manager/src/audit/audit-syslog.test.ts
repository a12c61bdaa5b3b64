// Checkpoints sent to real sockets on this machine: a UDP listener on loopback, a
// stream listener on a Unix socket, and a path where nothing listens.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSyslogTarget } from '../config/syslog-target';
import { syslogLine, SyslogSender } from './audit-syslog';

const folder = mkdtempSync(join(tmpdir(), 'ww-syslog-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('audit syslog', () => {
  it('parses the three forms and refuses others', () => {
    expect(parseSyslogTarget('off')).toEqual({ kind: 'off' });
    expect(parseSyslogTarget('udp://127.0.0.1:514')).toEqual({ kind: 'udp', host: '127.0.0.1', port: 514 });
    expect(parseSyslogTarget('udp://[::1]:5514')).toEqual({ kind: 'udp', host: '::1', port: 5514 });
    expect(parseSyslogTarget('unix:/dev/log')).toEqual({ kind: 'unix', path: '/dev/log' });
    for (const bad of ['udp://host', 'tcp://h:1', 'unix:dev/log', 'udp://h:70000', ''])
      expect(parseSyslogTarget(bad)).toBeUndefined();
  });

  it('sends an RFC 5424 line over UDP', async () => {
    const server = createSocket('udp4');
    const received = new Promise<string>((resolve) => server.once('message', (m) => resolve(m.toString())));
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    const sender = new SyslogSender({ kind: 'udp', host: '127.0.0.1', port: server.address().port });
    expect(await sender.send(syslogLine('{"lastSeq":3}', Date.UTC(2026, 11, 2)))).toBe('sent');
    expect(await received).toMatch(
      /^<85>1 2026-12-02T00:00:00.000Z \S+ wardwatch-manager \d+ audit-checkpoint - \{"lastSeq":3\}$/,
    );
    server.close();
  });

  it('sends over a Unix stream socket with octet counting, and says unreachable where none listens', async () => {
    const path = join(folder, 'log.sock');
    let got = '';
    const server = createServer((socket) => socket.on('data', (d) => (got += d.toString())));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const line = syslogLine('x', 0);
    expect(await new SyslogSender({ kind: 'unix', path }).send(line)).toBe('sent');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toBe(`${Buffer.byteLength(line)} ${line}`);
    await new Promise((resolve) => server.close(resolve));
    expect(await new SyslogSender({ kind: 'unix', path: join(folder, 'none.sock') }).send(line)).toBe('unreachable');
    expect(await new SyslogSender({ kind: 'off' }).send(line)).toBe('off');
  });
});
