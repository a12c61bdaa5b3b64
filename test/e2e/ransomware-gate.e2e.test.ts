// The fanotify gate end to end, real processes: a manager and an enrolled agent with its
// gate on (the default; the other fleets turn it off), and the flat-out locker
// (scripts/bench/ransomware, no pause, small files). The agent denies the locker's opens
// and kills it by itself after its third encrypted file; the manager audits the agent's
// `ransomware_stopped` local action. Then the escape the per-user count closes: another user's
// script that runs each encryptor under `setsid` (a new process group per file) is stopped within
// 10 files by the agent's defaults, audited the same way. Skipped where fanotify is unavailable
// (not root, no addon).
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFanotifyBinding } from '../../agent/src/response/fanotify/fanotify-binding';
import {
  encryptedFiles,
  OTHER_UID,
  runAs,
  runSetsidLocker,
} from '../../agent/src/response/fanotify/gate-processes.fixture';
import { eventually, signIn, startFleet, type Fleet } from '../support/fleet';

const ATTACKER = join(__dirname, '../../scripts/bench/ransomware/ransomware-sim.mjs');
const FILES = 60;
const available = !('unavailable' in loadFanotifyBinding()) && process.getuid?.() === 0;

describe.skipIf(!available)('the fanotify gate stops a flat-out locker within its first files', () => {
  let fleet: Fleet;
  let folder = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };

  beforeAll(async () => {
    fleet = await startFleet({ response: {} });
    await fleet.agent.waitForLog((l) => l.msg?.startsWith('ransomware gate on') === true, 30_000);
    folder = join(fleet.phiFolder, 'discharge-letters');
    mkdirSync(folder);
    for (let i = 0; i < FILES; i++)
      writeFileSync(join(folder, `letter-${String(i).padStart(3, '0')}.docx`), 'Discharge summary. '.repeat(300));
    const attacker = spawn(
      process.execPath,
      [ATTACKER, '--folder', folder, '--log', join(fleet.root, 'attacker.ndjson')],
      {
        stdio: 'ignore',
      },
    );
    exit = await new Promise((resolve) => attacker.on('exit', (code, signal) => resolve({ code, signal })));
  }, 120_000);
  afterAll(async () => fleet?.stop());

  it('kills the locker before its tenth file', () => {
    expect(exit.signal).toBe('SIGKILL');
    const locked = readdirSync(folder).filter((name) => name.endsWith('.locked')).length;
    expect(locked).toBeGreaterThanOrEqual(3);
    expect(locked).toBeLessThan(10);
  });

  it("audits the agent's own kill at the manager", async () => {
    const get = await signIn(fleet.manager.httpUrl);
    await eventually(
      async () => {
        const audit = (await (await get('/api/v1/audit?limit=200')).json()) as { items: { action: string }[] };
        return audit.items.find((r) => r.action === 'agent.ransomware_stopped');
      },
      20_000,
      'the ransomware_stopped local action in the audit log',
    );
  });

  it("stops another user's locker that runs each encryptor under setsid, and audits it", async () => {
    chmodSync(fleet.root, 0o755);
    chmodSync(fleet.phiFolder, 0o755);
    const spread = join(fleet.phiFolder, 'ward-notes');
    mkdirSync(spread);
    chmodSync(spread, 0o777);
    for (let i = 0; i < 40; i++)
      writeFileSync(join(spread, `note-${String(i).padStart(3, '0')}.txt`), `Ward round ${i}: stable.\n`.repeat(80));
    await runSetsidLocker(spread, OTHER_UID);
    const encrypted = encryptedFiles(spread);
    expect(encrypted).toBeGreaterThanOrEqual(6);
    expect(encrypted).toBeLessThan(10);
    expect(await runAs('echo note > "$1/after.txt"', spread, OTHER_UID)).toMatchObject({ code: 2 }); // still denied
    expect(await runAs('cat "$1/note-039.txt" > /dev/null', spread, OTHER_UID)).toEqual({ code: 0, signal: null });
    const get = await signIn(fleet.manager.httpUrl);
    await eventually(
      async () => {
        const audit = (await (await get('/api/v1/audit?limit=200')).json()) as { items: { action: string }[] };
        return audit.items.find(
          (r) => r.action === 'agent.ransomware_stopped' && JSON.stringify(r).includes('many short-lived processes'),
        );
      },
      20_000,
      'the per-user ransomware_stopped local action in the audit log',
    );
  });
});
