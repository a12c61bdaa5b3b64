// Ransomware rollback end to end, real processes: a manager and an enrolled agent whose
// version store copies the patient-data folder; a ransomware-like process encrypts,
// renames and deletes its files; an admin issues restore_files through the REST API
// (as the Actions page does); the agent puts every byte back, removes the attack's
// `.locked` files, and its result with the counts comes back, audited.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AgentPage, CommandPage, IssuedCommandView } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonApi } from '../../manager/src/testing/json-api.fixture';
import { ADMIN_PASSWORD, eventually, startFleet, type Fleet } from '../support/fleet';

const LOCKER = join(__dirname, '../../agent/src/protection/versions/locker-child.fixture.mjs');
const FILES = 30;

describe('restore_files puts back what a ransomware-like process damaged', () => {
  let fleet: Fleet;
  let cookie = '';
  const originals = new Map<string, Buffer>();

  const json = jsonApi(() => fleet.manager);
  const api = (path: string, body?: unknown) => json.call(body === undefined ? 'GET' : 'POST', path, body, cookie);

  beforeAll(async () => {
    // A short quiet period: the files written below are copied within a second.
    fleet = await startFleet({ protection: { versions: { enabled: true, quietMinutes: 0.01 } } });
    cookie = await json.signIn('admin', ADMIN_PASSWORD);
    await fleet.agent.waitForLog((l) => l.msg === 'command keys pinned', 30_000);
    for (let i = 0; i < FILES; i++) {
      const name = `referral-${String(i).padStart(2, '0')}.pdf`;
      originals.set(name, randomBytes(2_000 + i * 50));
      writeFileSync(join(fleet.phiFolder, name), originals.get(name)!);
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // quiet, then copied
  }, 120_000);
  afterAll(async () => fleet?.stop());

  it('restores every file byte for byte from a command issued through the API, and reports the counts', async () => {
    const since = Date.now();
    await promisify(execFile)(process.execPath, [LOCKER, '--folder', fleet.phiFolder]);
    expect(readdirSync(fleet.phiFolder).filter((n) => n.endsWith('.locked')).length).toBeGreaterThan(0);

    const agents = AgentPage.parse(await (await api('/api/v1/agents')).json());
    const agentId = agents.items[0].id;
    const issued = await api('/api/v1/commands', {
      agentId,
      action: { kind: 'restoreFiles', folderClass: 'phi', sinceMs: since, removeCreatedExtensions: ['.locked'] },
      reason: 'Files damaged by ransomware are put back.',
      warningSeconds: 0,
    });
    expect(issued.status).toBe(201);
    const { commandId } = IssuedCommandView.parse(await issued.json());
    const done = await eventually(
      async () =>
        CommandPage.parse(await (await api('/api/v1/commands')).json()).items.find(
          (c) => c.id === commandId && (c.state === 'done' || c.state === 'failed'),
        ),
      30_000,
      'the restore_files result',
    );
    expect(done).toMatchObject({ state: 'done', automatic: false, actionKind: 'restoreFiles', undoable: false });
    expect(done.result?.details).toMatchObject({ changed: FILES, restored: FILES, failed: 0 });
    expect(done.result?.message).toBe(
      `restored ${FILES} of ${FILES} changed files; removed ${Number(done.result?.details.removed)} new files of the attack`,
    );
    expect(readdirSync(fleet.phiFolder).sort()).toEqual([...originals.keys()].sort());
    for (const [name, content] of originals)
      expect(readFileSync(join(fleet.phiFolder, name)).equals(content)).toBe(true);
    const audit = (await (await api('/api/v1/audit?limit=200')).json()) as { items: { action: string }[] };
    expect(audit.items.map((r) => r.action)).toContain('command.result');
  }, 60_000);
});
