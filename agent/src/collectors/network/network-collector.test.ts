// Live on this machine: real TCP connections between real processes, found in
// /proc/net and mapped to the process that opened them.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, NetworkActivity } from '@wardwatch/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingSink } from '../collector-test-sink.fixture';
import type { ConnectionSource, OutboundConnection } from './connection-source';
import { MAX_REMEMBERED_PAIRS, NetworkCollector } from './network-collector';
import { ProcNetSource } from './proc-net-source';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

const network = (e: Event): NetworkActivity | undefined => (e.detail?.$case === 'network' ? e.detail.value : undefined);

/** A node process running `code`; resolves with it once it prints its first line. */
async function node(code: string): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
  return { child, line };
}

const server = () =>
  node(
    `require('net').createServer((s) => s.on('error', () => {})).listen(0, '127.0.0.1', function () { console.log(this.address().port); })`,
  );
const client = (port: string, count: number) =>
  node(
    `const net = require('net'); let open = 0; for (let i = 0; i < ${count}; i++) net.connect(${port}, '127.0.0.1', () => { if (++open === ${count}) console.log('connected'); }); setTimeout(() => {}, 30000);`,
  );

describe.runIf(process.platform === 'linux')('NetworkCollector on live /proc/net', () => {
  it("reports a child's new outbound connection with its pid, process and port — once per process and remote", async () => {
    const { child: srv, line: port } = await server();
    const source = new ProcNetSource();
    const sink = new RecordingSink();
    const collector = new NetworkCollector({ source, pollMs: 60_000, dedupMs: 60_000, includeLoopback: true });
    await collector.start(sink);
    try {
      const { child: a } = await client(port, 3);
      await collector.poll();
      // Other programs on this machine may open connections meanwhile: look only at ours.
      const ours = () => sink.events.map(network).filter((e) => e?.remotePort === Number(port) || e?.pid === srv.pid);
      expect(ours()).toEqual([
        {
          action: 'connect',
          protocol: 'tcp',
          remoteAddress: '127.0.0.1',
          remotePort: Number(port),
          pid: a.pid,
          process: process.execPath,
        },
      ]);
      expect(collector.stats.deduplicated).toBeGreaterThanOrEqual(2); // three sockets to one server: one event

      const { child: b } = await client(port, 1);
      await collector.poll();
      expect(ours().map((e) => e?.pid)).toEqual([a.pid, b.pid]);
      expect(sink.events.find((e) => network(e)?.pid === a.pid)!.user).toBe(
        process.getuid?.() === 0 ? 'root' : expect.any(String),
      );
      expect(sink.errors).toEqual([]);
    } finally {
      await collector.stop();
    }
  });

  it('leaves loopback out by default', async () => {
    const { line: port } = await server();
    const sink = new RecordingSink();
    const collector = new NetworkCollector({ source: new ProcNetSource(), pollMs: 60_000, dedupMs: 60_000 });
    await collector.start(sink);
    await client(port, 1);
    await collector.poll();
    await collector.stop();
    expect(sink.events.filter((e) => network(e)?.remoteAddress === '127.0.0.1')).toEqual([]);
  });
});

describe('NetworkCollector on an unreadable table', () => {
  it('counts each malformed /proc/net line as a parse error and reports the good ones', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ww-procnet-'));
    try {
      mkdirSync(join(root, 'net'));
      const header =
        '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
      writeFileSync(
        join(root, 'net', 'tcp'),
        `${header}   0: 0F02000A:C350 2200A8C0:01BB 01 00000000:00000000 02:000A7B1C 00000000  1000        0 93159 2\n   1: garbage\n\u0000\u00ff\n`,
      );
      const sink = new RecordingSink();
      const source = new ProcNetSource({ root, users: { name: (uid) => `uid:${uid}` } });
      const collector = new NetworkCollector({ source, pollMs: 60_000, dedupMs: 60_000 });
      await collector.start(sink);
      await collector.stop();
      expect(sink.errors).toEqual([
        { collector: 'network', reason: '/proc/net/tcp line not understood' },
        { collector: 'network', reason: '/proc/net/tcp line not understood' },
      ]);
      const again = await source.snapshot();
      expect(again.connections).toEqual([
        {
          key: '93159',
          protocol: 'tcp',
          remoteAddress: '192.168.0.34',
          remotePort: 443,
          pid: 0,
          process: '',
          user: 'uid:1000',
        },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** This machine's own non-loopback addresses: a connection to one leaves the loopback filter's reach. */
const ownAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a && !a.internal && !a.address.startsWith('fe80'));

describe.runIf(process.platform === 'linux' && ownAddresses.length > 0)(
  'NetworkCollector with default settings (live)',
  () => {
    it("reports connections to this host's own IPv4 and IPv6 addresses, decoded from tcp and tcp6", async () => {
      const sink = new RecordingSink();
      const collector = new NetworkCollector({ source: new ProcNetSource(), pollMs: 60_000, dedupMs: 60_000 });
      await collector.start(sink);
      try {
        for (const own of ownAddresses) {
          const host = own!.address;
          const code = `const net = require('net'); const s = net.createServer(() => {}).listen(0, '${host}', () => { net.connect(s.address().port, '${host}', () => console.log(s.address().port)); });`;
          const { child, line } = await node(code);
          await collector.poll();
          const event = sink.events.find((e) => network(e)?.pid === child.pid);
          expect(network(event!)).toEqual({
            action: 'connect',
            protocol: 'tcp',
            remoteAddress: host,
            remotePort: Number(line),
            pid: child.pid,
            process: process.execPath,
          });
        }
      } finally {
        await collector.stop();
      }
    });
  },
);

class ScriptedSource implements ConnectionSource {
  readonly name = 'scripted';
  constructor(public connections: OutboundConnection[]) {}
  snapshot() {
    return Promise.resolve({ connections: this.connections, parseErrors: [] });
  }
}

describe('NetworkCollector dedup window', () => {
  it('reports the same process and remote again once the window has passed, and never its own connections', async () => {
    let now = 1_000;
    const conn = (key: string, pid = 42): OutboundConnection => ({
      key,
      protocol: 'tcp',
      remoteAddress: '203.0.113.5',
      remotePort: 443,
      pid,
      process: '/usr/bin/curl',
      user: 'nurse.jones',
    });
    const source = new ScriptedSource([]);
    const sink = new RecordingSink();
    const collector = new NetworkCollector({ source, pollMs: 60_000, dedupMs: 10_000, now: () => now, selfPid: 7 });
    await collector.start(sink);
    source.connections = [conn('a'), conn('self', 7)];
    await collector.poll();
    source.connections = [conn('b')];
    now += 5_000;
    await collector.poll();
    source.connections = [conn('c')];
    now += 6_000;
    await collector.poll();
    expect(sink.events.map((e) => [network(e)?.pid, e.timeMs])).toEqual([
      [42, 1_000],
      [42, 12_000],
    ]);
    expect(collector.stats.deduplicated).toBe(1);
    await collector.stop();
  });

  it('remembers at most MAX_REMEMBERED_PAIRS pairs, forgetting the oldest', async () => {
    const source = new ScriptedSource([]);
    const sink = new RecordingSink();
    const collector = new NetworkCollector({ source, pollMs: 60_000, dedupMs: 3_600_000, selfPid: 7 });
    await collector.start(sink);
    const scan = (from: number, count: number, tag: string) =>
      Array.from({ length: count }, (_, i) => ({
        key: `${tag}${i}`,
        protocol: 'tcp' as const,
        remoteAddress: `10.0.${((from + i) >> 8) & 255}.${(from + i) & 255}`,
        remotePort: 445,
        pid: 42,
        process: '/usr/bin/scan',
        user: '',
      }));
    source.connections = scan(0, MAX_REMEMBERED_PAIRS + 10, 'a');
    await collector.poll();
    expect(sink.events).toHaveLength(MAX_REMEMBERED_PAIRS + 10);
    source.connections = [...scan(0, 10, 'b'), ...scan(MAX_REMEMBERED_PAIRS, 10, 'c')];
    await collector.poll();
    // The first ten were forgotten (reported again); the last ten are still within the window.
    expect(sink.events).toHaveLength(MAX_REMEMBERED_PAIRS + 20);
    await collector.stop();
  });
});
