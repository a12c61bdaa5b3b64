import { type ChildProcess, spawn } from 'node:child_process';
import type { Systeminformation } from 'systeminformation';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemInformationConnectionSource } from './systeminformation-connection-source';

const row = (r: Partial<Systeminformation.NetworkConnectionsData>): Systeminformation.NetworkConnectionsData => ({
  protocol: 'tcp',
  localAddress: '',
  localPort: '',
  peerAddress: '',
  peerPort: '',
  state: '',
  pid: 0,
  process: '',
  ...r,
});

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

describe('SystemInformationConnectionSource', () => {
  it('keeps outbound TCP (and connected UDP when asked), leaving out listeners and accepted connections', async () => {
    const rows = [
      row({
        localAddress: '0.0.0.0',
        localPort: '3389',
        peerAddress: '0.0.0.0',
        peerPort: '0',
        state: 'LISTEN',
        pid: 1100,
        process: 'svchost.exe',
      }),
      row({
        localAddress: '10.1.2.3',
        localPort: '3389',
        peerAddress: '10.9.9.9',
        peerPort: '50122',
        state: 'ESTABLISHED',
        pid: 1100,
        process: 'svchost.exe',
      }),
      row({
        localAddress: '10.1.2.3',
        localPort: '50333',
        peerAddress: '203.0.113.5',
        peerPort: '443',
        state: 'ESTABLISHED',
        pid: 4242,
        process: 'chrome.exe',
      }),
      row({
        protocol: 'tcp6',
        localAddress: '::ffff:10.1.2.3',
        localPort: '50334',
        peerAddress: '[2001:db8::2]',
        peerPort: '443',
        state: 'SYN_SENT',
        pid: 4243,
        process: 'curl',
      }),
      row({
        localAddress: '10.1.2.3',
        localPort: '50335',
        peerAddress: '203.0.113.5',
        peerPort: '443',
        state: 'TIME_WAIT',
        pid: 0,
      }),
      row({
        protocol: 'udp',
        localAddress: '10.1.2.3',
        localPort: '50400',
        peerAddress: '198.51.100.53',
        peerPort: '53',
        state: '',
        pid: 77,
        process: 'dns',
      }),
    ];
    const tcpOnly = await new SystemInformationConnectionSource(() => Promise.resolve(rows)).snapshot();
    expect(tcpOnly.connections.map((c) => [c.protocol, c.remoteAddress, c.remotePort, c.pid, c.process])).toEqual([
      ['tcp', '203.0.113.5', 443, 4242, 'chrome.exe'],
      ['tcp', '2001:db8::2', 443, 4243, 'curl'],
    ]);
    const withUdp = await new SystemInformationConnectionSource(() => Promise.resolve(rows), true).snapshot();
    expect(withUdp.connections.map((c) => c.pid)).toEqual([4242, 4243, 77]);
  });

  it.runIf(process.platform === 'linux')(
    "finds a child's connection through the real systeminformation (ss) on this machine",
    async () => {
      const code = `const net = require('net'); const s = net.createServer(() => {}).listen(0, '127.0.0.1', () => { const c = net.connect(s.address().port, '127.0.0.1', () => console.log(s.address().port + ' ' + c.localPort)); });`;
      const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      const [port, localPort] = (
        await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())))
      )
        .split(' ')
        .map(Number);
      const { connections } = await new SystemInformationConnectionSource().snapshot();
      const mine = connections.filter((c) => c.pid === child.pid);
      // The client side is outbound; the accepted side uses the listening port and is not.
      expect(mine.map((c) => [c.remoteAddress, c.remotePort])).toEqual([['127.0.0.1', port]]);
      expect(localPort).toBeGreaterThan(0);
    },
  );
});
