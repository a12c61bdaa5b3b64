// Cost per poll of the device, network and session sources on this machine,
// each against the systeminformation call that would do the same job (the
// baseline, measured in the same run). CPU includes that of the children
// systeminformation spawns (lsblk, ss/netstat, who, w).
// Run: npx tsx scripts/bench/devices-network.bench.ts [polls] [--connections N]
// `--connections N` first opens N outbound TCP connections from a child process
// to a local server, to see a busier socket table than this machine's own.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as si from 'systeminformation';
import { SysfsDeviceSource } from '../../agent/src/collectors/devices/sysfs-device-source';
import { ProcNetSource } from '../../agent/src/collectors/network/proc-net-source';
import { SocketOwners } from '../../agent/src/collectors/network/socket-owners';

const args = process.argv.slice(2);
const connAt = args.indexOf('--connections');
const connections = connAt >= 0 ? Number(args[connAt + 1]) : 0;
const polls = Number(args.find((a, i) => /^\d+$/.test(a) && (connAt < 0 || i !== connAt + 1)) ?? 50);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10; // cutime, cstime at USER_HZ 100
}

interface Cost {
  cpuMs: number;
  wallMs: number;
}

async function measure(run: () => unknown): Promise<Cost> {
  const cpu = process.cpuUsage();
  const children = childrenCpuMs();
  const wall = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 + (childrenCpuMs() - children), wallMs: performance.now() - wall };
}

async function repeat(times: number, gapMs: number, run: () => unknown): Promise<Cost> {
  const costs: Cost[] = [];
  for (let i = 0; i < times; i += 1) {
    await sleep(gapMs);
    costs.push(await measure(run));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { cpuMs: median(costs.map((c) => c.cpuMs)), wallMs: median(costs.map((c) => c.wallMs)) };
}

const rows: string[] = [];
function row(what: string, cost: Cost, pollMs: number): void {
  const share = (cost.cpuMs / pollMs) * 100;
  rows.push(
    `${what.padEnd(60)} ${cost.cpuMs.toFixed(3).padStart(9)} ${cost.wallMs.toFixed(3).padStart(9)} ${String(pollMs).padStart(7)} ${share.toFixed(3).padStart(9)}`,
  );
}

async function openConnections(count: number): Promise<ChildProcess[]> {
  if (count === 0) return [];
  const code = `const net = require('net');
    const srv = net.createServer((s) => s.on('error', () => {})).listen(0, '127.0.0.1', () => {
      let open = 0;
      for (let i = 0; i < ${count}; i++) net.connect(srv.address().port, '127.0.0.1', () => { if (++open === ${count}) console.log('ready'); }).on('error', () => {});
    });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return [child];
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') throw new Error('this benchmark reads /proc and /sys');
  const children = await openConnections(connections);
  try {
    const devices = new SysfsDeviceSource();
    const first = devices.snapshotSync();
    row(
      'devices: /sys/block + mountinfo (first poll)',
      await measure(() => new SysfsDeviceSource().snapshotSync()),
      2_000,
    );
    row('devices: /sys/block + mountinfo (steady)', await repeat(polls, 20, () => devices.snapshotSync()), 2_000);
    row('  baseline: si.blockDevices() (lsblk)', await repeat(5, 50, () => si.blockDevices()), 2_000);
    row('  baseline: si.usb()', await repeat(5, 50, () => si.usb()), 2_000);

    const idle = new ProcNetSource();
    idle.snapshotSync();
    const busy = new ProcNetSource({ alwaysReadTcp: true });
    const net = new ProcNetSource({ alwaysReadTcp: true, udp: true });
    const table = busy.snapshotSync();
    net.snapshotSync();
    row(
      'network: poll with no connection opened (snmp only)',
      await repeat(polls, 20, () => idle.snapshotSync()),
      2_000,
    );
    row('network: poll after a connect (tcp, tcp6 read)', await repeat(polls, 20, () => busy.snapshotSync()), 2_000);
    row('network: same with udp: true (+ udp, udp6)', await repeat(polls, 20, () => net.snapshotSync()), 2_000);
    const owners = new SocketOwners();
    const scan = await repeat(5, 20, () => owners.find(new Set([-1]))); // an inode no one holds: the full scan
    row('network: + owner scan of every /proc/*/fd (new socket)', scan, 2_000);
    row('  baseline: si.networkConnections()', await repeat(5, 50, () => si.networkConnections()), 2_000);

    row('sessions: si.users() (who + w)', await repeat(5, 50, () => si.users()), 15_000);

    const processCount = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
    console.log(`devices and network sources, ${polls} polls each (median), node ${process.version}`);
    console.log(
      `${first.devices.length} block devices with media, ${first.mounts.length} mounts; ${table.connections.length} outbound connections; ${processCount} entries in /proc; ${owners.stats.linksRead / owners.stats.scans} descriptor links per owner scan\n`,
    );
    console.log(
      `${'source'.padEnd(60)} ${'cpu ms'.padStart(9)} ${'wall ms'.padStart(9)} ${'poll ms'.padStart(7)} ${'% core'.padStart(9)}`,
    );
    for (const line of rows) console.log(line);
    console.log(
      `\nThe idle source skipped the TCP tables in ${idle.tcpReads.skipped} of ${idle.tcpReads.skipped + idle.tcpReads.read} polls (other programs on this machine open connections too).`,
    );
    console.log(
      '% core = cpu ms per poll / poll interval. The owner scan runs only in a poll that sees a socket not seen before.',
    );
  } finally {
    for (const child of children) child.kill();
  }
}

void main();
