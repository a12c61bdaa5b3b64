// The live collectors of a real agent process, through gRPC to a real manager:
// a process started and stopped on this machine, an outbound connection and a
// file system mounted show up in the manager's REST API — pseudonymised.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { EventView } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFinder, signIn, startFleet, type Fleet } from '../support/fleet';

describe('agent collectors → manager', () => {
  let fleet: Fleet;
  let get: (path: string) => Promise<Response>;

  beforeAll(async () => {
    fleet = await startFleet();
    get = await signIn(fleet.manager.httpUrl);
  }, 120_000);
  afterAll(async () => fleet?.stop());

  const findEvent = (query: string, match: (event: EventView) => boolean) => eventFinder(get)(query, match);

  it('stores the start and the stop of a real process, with its pid, without its command line', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const start = await findEvent('category=process&action=start', (e) => e.detail.pid === child.pid);
    expect(start.detail.ppid).toBe(process.pid);
    expect(start.detail.commandLine).toBe('');
    child.kill();
    await findEvent('category=process&action=stop', (e) => e.detail.pid === child.pid);
  });

  const ownIpv4 = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;

  it.runIf(ownIpv4 !== undefined)(
    'stores a new outbound connection with its pid and port, the address pseudonymised',
    async () => {
      const code = `const net = require('net'); const s = net.createServer(() => {}).listen(0, '${ownIpv4}', () => { net.connect(s.address().port, '${ownIpv4}', () => console.log(s.address().port)); });`;
      const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        const port = Number(
          await new Promise<string>((resolve) =>
            child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
          ),
        );
        const event = await findEvent('category=network&action=connect', (e) => e.detail.pid === child.pid);
        expect(event.detail.remotePort).toBe(port);
        expect(String(event.detail.remoteAddress)).toMatch(/^ip_/);
        expect(JSON.stringify(event)).not.toContain(ownIpv4!);
      } finally {
        child.kill();
      }
    },
  );

  it.runIf(process.getuid?.() === 0)(
    'stores a file system mounted on this machine as a device event, without its path',
    async () => {
      const mountPoint = join(fleet.root, 'mounted-volume');
      mkdirSync(mountPoint);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'wwe2e', mountPoint]);
      try {
        const event = await findEvent('category=device&action=mount', (e) => e.detail.deviceType === 'tmpfs');
        expect(JSON.stringify(event)).not.toContain(mountPoint);
        expect(String(event.detail.mountPoint)).toMatch(/^p_/);
      } finally {
        execFileSync('umount', [mountPoint]);
      }
      await findEvent('category=device&action=unmount', (e) => e.detail.deviceType === 'tmpfs');
    },
  );
});
