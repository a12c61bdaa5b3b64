import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import type { Logger } from '../logging/logger';
import { makeCommandKey, RecordingActions, tempDataDir } from '../response/response-test-kit.fixture';
import { PolicyService } from './policy-service';
import { POLICY_STATE_FILE, PolicyStateStore } from './policy-state-store';
import { signedPolicy, TEST_AGENT_ID, tierSettings } from './policy-test-kit.fixture';
import { IDLE_LOCK_DROP_IN, IdleLockStep, idleLockDropIn } from './steps/idle-lock-step';
import { LinkSecurity, ManagerLinkStep } from './steps/manager-link-step';
import { RemovableMediaStep } from './steps/removable-media-step';
import { SealingStep } from './steps/sealing-step';
import { FolderSealingTarget } from './steps/folder-sealing-target';
import { FolderSealer } from '../protection/sealing/folder-sealer';
import { SEALED_SUFFIX } from '../protection/sealing/sealed-header';
import type { SealingKek } from '../protection/sealing/sealed-file';
import { testKek } from '../protection/sealing/sealing.fixture';

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };

/** A home whose ~/Downloads (a folder the default tiers seal) holds one export. */
function homeWithExport(): string {
  const home = mkdtempSync(join(tmpdir(), 'ww-home-'));
  mkdirSync(join(home, 'Downloads'));
  writeFileSync(join(home, 'Downloads', 'ward3-export.csv'), 'bed,name\n4,patient\n');
  return home;
}

function sut(
  dataDir = tempDataDir(),
  dropInDir = mkdtempSync(join(tmpdir(), 'ww-logind-')),
  kek: () => Promise<SealingKek> = () => Promise.resolve(testKek().kek),
) {
  const key = makeCommandKey();
  const link = new LinkSecurity();
  const actions = new RecordingActions();
  const home = homeWithExport();
  const sealing = new FolderSealingTarget({ sealer: new FolderSealer({ kek }), home, sweepMs: 3_600_000 });
  const store = new PolicyStateStore(dataDir);
  const service = new PolicyService({
    agentId: TEST_AGENT_ID,
    store,
    steps: [
      new IdleLockStep({ platform: 'linux', dropInDir }),
      new RemovableMediaStep(actions, dataDir),
      new SealingStep(sealing),
      // Last, so that a failure here must undo the steps before it.
      new ManagerLinkStep(link),
    ],
    keys: { get: (id) => (id === key.commandKey.keyId ? createPublicKey(key.privateKey) : undefined) },
    diskEncryption: { check: () => Promise.resolve({ state: 'encrypted', detail: 'root file system on dm-0' }) },
    now: Date.now,
    logger: silent,
  });
  return {
    key,
    link,
    actions,
    sealing,
    store,
    service,
    dataDir,
    home,
    dropIn: join(dropInDir, IDLE_LOCK_DROP_IN),
    dropInDir,
  };
}

describe('PolicyService apply', () => {
  it('applies every setting, keeps the state 0600 across a restart, and reports compliance', async () => {
    const t = sut();
    await t.service.handle(signedPolicy(t.key, { revision: 1, tier: 'lockdown', settings: tierSettings('lockdown') }));
    expect(readFileSync(t.dropIn, 'utf8')).toBe(idleLockDropIn(120));
    expect(t.actions.calls.map((c) => c.action)).toEqual(['blockRemovable']);
    expect(t.link.get()?.minTlsVersion).toBe('TLSv1.3');
    expect(readdirSync(join(t.home, 'Downloads'))).toEqual([`ward3-export.csv${SEALED_SUFFIX}`]);
    expect(statSync(join(t.dataDir, POLICY_STATE_FILE)).mode & 0o777).toBe(0o600);
    expect(new PolicyStateStore(t.dataDir).get().current?.revision).toBe(1);

    const report = await t.service.compliance();
    expect(report).toMatchObject({ revision: 1, tier: 'lockdown', applied: true, errors: [] });
    const states = Object.fromEntries(report.settings.map((s) => [s.name, s.state]));
    expect(states).toEqual({
      idle_lock: 'applied',
      removable_media: 'applied',
      sealing: 'applied',
      manager_link: 'applied',
      disk_encryption: 'applied',
    });
    expect(report.settings.find((s) => s.name === 'sealing')?.detail).toBe(
      '3 folders: 1 files sealed, 2 folders absent',
    );
    await t.sealing.stop();
  });

  it('no KEK to seal with: the sealing step fails and the whole policy is rolled back', async () => {
    const t = sut(tempDataDir(), undefined, () => Promise.reject(new Error('no sealing key: manager away')));
    await t.service.handle(signedPolicy(t.key, { revision: 1, tier: 'baseline', settings: tierSettings('baseline') }));
    await t.service.handle(signedPolicy(t.key, { revision: 2, tier: 'lockdown', settings: tierSettings('lockdown') }));
    expect(t.store.get().current?.tier).toBe('baseline');
    expect(readFileSync(t.dropIn, 'utf8')).toBe(idleLockDropIn(900));
    expect(t.link.get()?.minTlsVersion).toBe('TLSv1.2');
    expect(readdirSync(join(t.home, 'Downloads'))).toEqual(['ward3-export.csv']);
    const report = await t.service.compliance();
    expect(report.applied).toBe(false);
    expect(report.errors[0]).toBe('sealing: no sealing key: manager away');
  });

  it('a failed step rolls back every step before it: the previous policy stays in force', async () => {
    const t = sut();
    await t.service.handle(signedPolicy(t.key, { revision: 1, tier: 'baseline', settings: tierSettings('baseline') }));
    const before = readFileSync(t.dropIn, 'utf8');
    const bad = tierSettings('lockdown', {
      managerLink: { minTlsVersion: 'TLSv1.3', ciphers: ['TLS_AES_256_GCM_SHA384', 'NOT-A-REAL-CIPHER'] },
    });
    await t.service.handle(signedPolicy(t.key, { revision: 2, tier: 'lockdown', settings: bad }));

    // Idle lock back to baseline's file, removable media unblocked again, sealing off again (its
    // sweep had sealed the export: a sealed file stays sealed, which errs on the safe side).
    expect(readFileSync(t.dropIn, 'utf8')).toBe(before);
    expect(t.actions.calls.map((c) => c.action)).toEqual(['blockRemovable', 'undo']);
    expect(t.sealing.status()?.state).toBe('not_applicable');
    expect(t.link.get()?.minTlsVersion).toBe('TLSv1.2');
    const state = t.store.get();
    expect(state.current?.revision).toBe(1);
    expect(state.problem?.revision).toBe(2);

    const report = await t.service.compliance();
    expect(report.applied).toBe(false);
    expect(report.revision).toBe(1);
    expect(report.errors[0]).toMatch(/manager_link: cipher suites unknown .*NOT-A-REAL-CIPHER/);

    // The same revision again (the manager resends it) is tried again, and a good one applies.
    await t.service.handle(signedPolicy(t.key, { revision: 3, tier: 'lockdown', settings: tierSettings('lockdown') }));
    expect((await t.service.compliance()).applied).toBe(true);
    expect(t.store.get().previous?.revision).toBe(1);
  });

  it('refuses a replay of an older revision after a newer one, changing nothing', async () => {
    const t = sut();
    const old = signedPolicy(t.key, { revision: 1, tier: 'lockdown', settings: tierSettings('lockdown') });
    await t.service.handle(old);
    await t.service.handle(signedPolicy(t.key, { revision: 2, tier: 'baseline', settings: tierSettings('baseline') }));
    const fileAfter2 = readFileSync(t.dropIn, 'utf8');
    await t.service.handle(old);
    expect(readFileSync(t.dropIn, 'utf8')).toBe(fileAfter2);
    expect(t.store.get().current?.tier).toBe('baseline');
    expect((await t.service.compliance()).applied).toBe(true);
  });

  it('a step that cannot write its drop-in fails before the others and leaves nothing behind', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ww-logind-'));
    const notADir = join(parent, 'file');
    writeFileSync(notADir, 'x');
    const t = sut(tempDataDir(), notADir);
    await t.service.handle(signedPolicy(t.key, { revision: 1, tier: 'lockdown', settings: tierSettings('lockdown') }));
    expect(t.actions.calls).toEqual([]);
    expect(t.store.get().current).toBeNull();
    expect((await t.service.compliance()).errors[0]).toMatch(/^idle_lock:/);
    expect(existsSync(join(notADir, IDLE_LOCK_DROP_IN))).toBe(false);
  });

  it('re-asserts the policy in force after a restart', async () => {
    const t = sut();
    await t.service.handle(signedPolicy(t.key, { revision: 4, tier: 'elevated', settings: tierSettings('elevated') }));
    const restarted = sut(t.dataDir, t.dropInDir);
    expect(restarted.link.get()).toBeNull();
    await restarted.service.reassert();
    expect(restarted.link.get()).toEqual(tierSettings('elevated').managerLink);
    expect(restarted.service.appliedRevision()).toBe(4);
  });
});
