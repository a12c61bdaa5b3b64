// The whole path with real processes: a file written into a watched folder and a
// real sshd line appended to the tailed auth log reach the manager's REST API.
import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventView } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFinder, signIn, startFleet, type Fleet } from '../support/fleet';

describe('agent → gRPC → manager → REST', () => {
  let fleet: Fleet;
  let get: (path: string) => Promise<Response>;

  beforeAll(async () => {
    fleet = await startFleet();
    get = await signIn(fleet.manager.httpUrl);
  }, 120_000);
  afterAll(async () => fleet?.stop());

  const findEvent = (query: string, match: (event: EventView) => boolean) => eventFinder(get)(query, match);

  it('stores a file written into a watched patient-data folder, pseudonymised', async () => {
    writeFileSync(join(fleet.phiFolder, 'discharge-summary.pdf'), 'x'.repeat(2048));
    const event = await findEvent('category=file', (e) => e.action === 'create');
    expect(event.detail.folderClass).toBe('phi');
    expect(event.detail.extension).toBe('.pdf');
    expect(JSON.stringify(event)).not.toContain('discharge-summary');
    expect(JSON.stringify(event)).not.toContain(fleet.phiFolder);
  });

  it('stores a patient file copied out to another watched folder as a copy of it, pseudonymised', async () => {
    const chart = join(fleet.phiFolder, 'chart-jones.pdf');
    writeFileSync(chart, randomBytes(20_000));
    await findEvent('category=file', (e) => e.action === 'create' && e.detail.folderClass === 'phi');
    copyFileSync(chart, join(fleet.otherFolder, 'chart-jones.pdf'));
    const copy = await findEvent('category=file', (e) => e.action === 'copy');
    expect(copy.detail).toMatchObject({ folderClass: 'other', extension: '.pdf', sizeBytes: 20_000 });
    expect(String(copy.detail.previousPath)).toMatch(/^p_phi_/);
    expect(JSON.stringify(copy)).not.toMatch(/jones|patient-records|shared-drop/);
  });

  it('stores a patient file moved out of the patient-data folders as a rename that names the class it left', async () => {
    const chart = join(fleet.phiFolder, 'chart-smith.pdf');
    writeFileSync(chart, randomBytes(12_000));
    await findEvent('category=file', (e) => e.action === 'create' && e.detail.sizeBytes === 12_000);
    renameSync(chart, join(fleet.otherFolder, 'chart-smith.pdf'));
    const moved = await findEvent('category=file', (e) => e.action === 'rename' && e.detail.folderClass === 'other');
    expect(moved.detail).toMatchObject({ previousFolderClass: 'phi', extension: '.pdf', sizeBytes: 12_000 });
    expect(String(moved.detail.previousPath)).toMatch(/^p_phi_/);
    expect(JSON.stringify(moved)).not.toMatch(/smith|patient-records|shared-drop/);
  });

  it('stores a failed sshd password from the auth log as a failed logon', async () => {
    const now = new Date();
    const stamp =
      now.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' }) +
      ` ${String(now.getUTCDate()).padStart(2, ' ')} ${now.toISOString().slice(11, 19)}`;
    appendFileSync(
      fleet.authLog,
      `${stamp} ward3-ws12 sshd[4242]: Failed password for nurse.jones from 203.0.113.7 port 52114 ssh2\n`,
    );
    const event = await findEvent('category=login', (e) => e.action === 'failed_logon');
    expect(event.user).not.toBe('nurse.jones');
    expect(event.user).toMatch(/^u_/);
    expect(event.detail.service).toBe('sshd');
    expect(JSON.stringify(event)).not.toContain('203.0.113.7');
  });

  it('shows the agent online in the fleet', async () => {
    const response = await get('/api/v1/agents');
    const body = (await response.json()) as { items: { status: string }[] };
    expect(body.items.map((a) => a.status)).toEqual(['online']);
  });
});
