// The live collectors of a real agent process, through gRPC to a real manager:
// a process started and stopped on this machine, an outbound connection, a file
// system mounted and (where auditd runs) a patient file read show up in the
// manager's REST API — pseudonymised.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { EventView } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDITCTL, auditdRunning } from '../../agent/src/collectors/audit/auditd.fixture';
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

  it.runIf(auditdRunning())(
    'stores a patient file read by a logged-in person, where a rule audits reads, its path pseudonymised',
    async () => {
      const chart = join(fleet.phiFolder, 'bed 4 chart.pdf');
      writeFileSync(chart, '%PDF-1.7 chart');
      const rule = ['-F', 'arch=b64', '-F', `dir=${fleet.phiFolder}`, '-F', 'perm=r', '-k', 'wardwatch-e2e-read'];
      execFileSync(AUDITCTL, ['-e', '1'], { stdio: 'ignore' }); // in case something on the host turned audit off
      execFileSync(AUDITCTL, ['-a', 'always,exit', ...rule]);
      try {
        // As a login would: the session's login uid (0, root) set before the program runs.
        execFileSync('/bin/sh', ['-c', 'echo 0 > /proc/self/loginuid && exec cat "$0" > /dev/null', chart]);
        const read = await findEvent(
          'category=file&action=read',
          (e) => e.detail.process === realpathSync('/usr/bin/cat'),
        );
        expect(read.detail.folderClass).toBe('phi');
        expect(String(read.detail.path)).toMatch(/^p_phi_/);
        expect(JSON.stringify(read)).not.toContain('bed 4');
      } finally {
        execFileSync(AUDITCTL, ['-d', 'always,exit', ...rule]);
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
