// Protection policy delivery and compliance, with the real parts in one process: the
// manager (SQLite, gRPC over mutual TLS) and the agent's enrollment, session and policy
// capability (state on disk, the idle-lock drop-in in a temporary folder, the real lsblk).
// After Hello the agent gets the default tier signed by the command key it pinned,
// applies it and reports; a pin to lockdown reaches it at once; a policy version whose
// cipher the agent's TLS does not know is rolled back on the agent and shows as
// non-compliant on the manager, with the agent's error, and halts that version's staged
// rollout (the agent is its only canary). Lockdown seals ~/Downloads (a temporary home here)
// with the KEK the real manager issued. Once aborted and unpinned, a risk score that rises on
// the manager lifts the workstation to lockdown, which the agent applies. A version whose
// baseline says unsealOnDrop, pinned to baseline, opens the sealed files again in place, each
// unwrapped and audited by the manager with the workstation's host token.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Severity } from '@wardwatch/proto';
import { pseudonymToken } from '@wardwatch/shared/pseudonyms';
import { DEFAULT_POLICY, type PolicyDocument } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../agent/src/logging/logger';
import { createPolicy, type PolicyParts } from '../../agent/src/policy/create-policy';
import type { FolderSealingTarget } from '../../agent/src/policy/steps/folder-sealing-target';
import { wireSealing } from '../../agent/src/runtime/sealing-wiring';
import type { AuthorisedOpen } from '../../agent/src/protection/sealing/authorised-open';
import { ManagerSealingKeys, rewrapOver } from '../../agent/src/protection/sealing/manager-sealing-keys';
import { rewrapFolders } from '../../agent/src/protection/sealing/key-rewrap';
import { readSealedHeader } from '../../agent/src/protection/sealing/sealed-file';
import { KeyService } from '../../manager/src/keys/key.service';
import { IDLE_LOCK_DROP_IN, idleLockDropIn } from '../../agent/src/policy/steps/idle-lock-step';
import { ExecCommandRunner } from '../../agent/src/response/actions/command-runner';
import { CommandKeyStore } from '../../agent/src/response/command-keys/command-key-store';
import { tempDataDir } from '../../agent/src/response/response-test-kit.fixture';
import { createSessionClient } from '../../agent/src/transport/grpc-clients';
import type { ManagerSession } from '../../agent/src/transport/manager-session';
import { ScoreIngestService } from '../../manager/src/alerts/score-ingest.service';
import { AuditService } from '../../manager/src/audit/audit.service';
import { AgentPolicyService } from '../../manager/src/policies/agent-policy.service';
import { PolicyService } from '../../manager/src/policies/policy.service';
import { PolicyRolloutService } from '../../manager/src/policies/rollout/policy-rollout.service';
import { startTestManager, type TestManager } from '../../manager/src/testing/test-manager.fixture';
import { enrollInProcess, testSession } from '../support/in-process-agent';

describe('protection policy over the real Session stream', { timeout: 60_000 }, () => {
  let manager: TestManager;
  let agentId = '';
  let session: ManagerSession;
  let policy: PolicyParts;
  const dropInDir = mkdtempSync(join(tmpdir(), 'ww-logind-'));
  const home = mkdtempSync(join(tmpdir(), 'ww-home-'));
  let sealing: FolderSealingTarget;
  let keysClient: ReturnType<typeof createSessionClient> | undefined;
  let opener: AuthorisedOpen;
  let nurse = '';
  let sealingKeys: ManagerSealingKeys;
  let rewrapClient: ReturnType<typeof createSessionClient>;
  let workstation = '';

  beforeAll(async () => {
    // Local-key mode on purpose: the expected tokens are made with the key enrollment hands out.
    manager = await startTestManager({ env: { WARDWATCH_PSEUDONYM_MODE: 'local-key' } });
    const dir = tempDataDir();
    const keys = new CommandKeyStore(dir);
    const identity = await enrollInProcess(manager, keys);
    const address = identity.managerAddress;
    agentId = identity.agentId;
    const logger = createMemoryLogger();
    mkdirSync(join(home, 'Downloads'));
    writeFileSync(join(home, 'Downloads', 'ward3-discharges.csv'), 'bed,letter\n4,sent\n');
    const client = createSessionClient(address, identity);
    keysClient = client;
    workstation = pseudonymToken(identity.pseudonymKey, 'host', 'ward3-ws12');
    // Wired as the running agent wires it (settled at once; swept only when the test asks).
    ({ sealing, opener } = wireSealing({
      managerAddress: address,
      dataDir: dir,
      settings: { sealSettleSeconds: 0, sealSweepSeconds: 3_600, sealingHome: home },
      identity: () => identity,
      hostToken: () => workstation,
      logger,
    }));
    sealingKeys = new ManagerSealingKeys(client, dir);
    rewrapClient = client;
    nurse = pseudonymToken(identity.pseudonymKey, 'user', 'nurse.jones');
    policy = createPolicy({
      dataDir: dir,
      agentId,
      keys,
      actions: null,
      runner: new ExecCommandRunner(),
      settings: { logindDropInDir: dropInDir, reloadLogind: false },
      logger,
      platform: 'linux',
      sealing,
    });
    session = testSession({
      managerAddress: address,
      // The manager link as the policy in force sets it, as at run time.
      createClient: () => createSessionClient(address, identity, policy.link.get()),
      commandKeyIds: keys.ids(),
      logger,
      channels: [policy.channel],
    });
    session.start();
  }, 60_000);
  afterAll(async () => {
    await session?.stop(0);
    await sealing?.stop();
    keysClient?.close();
    await manager?.stop();
  });

  const view = () => manager.app.get(AgentPolicyService).view(agentId);
  const dropIn = () => readFileSync(join(dropInDir, IDLE_LOCK_DROP_IN), 'utf8');

  it('after Hello: the default tier is delivered, applied and its compliance stored', async () => {
    await expect.poll(async () => (await view()).compliance?.revision ?? 0, { timeout: 15_000 }).toBe(1);
    const seen = await view();
    expect(seen).toMatchObject({ tier: 'baseline', revision: 1, policyVersion: 1 });
    expect(seen.compliance).toMatchObject({ tier: 'baseline', applied: true, errors: [] });
    const states = Object.fromEntries((seen.compliance?.settings ?? []).map((s) => [s.name, s.state]));
    expect(states).toMatchObject({ idle_lock: 'applied', manager_link: 'applied', removable_media: 'applied' });
    // Disk encryption from this machine's lsblk: required by baseline, so it is applied or failed, never skipped.
    expect(['applied', 'failed']).toContain(states.disk_encryption);
    expect(dropIn()).toBe(idleLockDropIn(900));
  });

  it('a pin to lockdown reaches the connected agent at once and is audited', async () => {
    await manager.app.get(AgentPolicyService).pin(agentId, 'lockdown', 'admin');
    await expect.poll(async () => (await view()).compliance?.tier, { timeout: 15_000 }).toBe('lockdown');
    const seen = await view();
    expect(seen).toMatchObject({ pinnedTier: 'lockdown', revision: 2 });
    expect(seen.compliance?.revision).toBe(2);
    expect(dropIn()).toBe(idleLockDropIn(120));
    // Lockdown seals the patient-data folders with this agent's KEK from the manager.
    expect(seen.compliance?.settings.find((s) => s.name === 'sealing')).toEqual({
      name: 'sealing',
      state: 'applied',
      detail: '3 folders: 1 files sealed, 2 folders absent',
    });
    expect(readdirSync(join(home, 'Downloads'))).toEqual(['ward3-discharges.csv.wwsealed']);
    const pins = (await manager.app.get(AuditService).list(1_000)).filter((r) => r.action === 'policy.pin');
    expect(pins.map((r) => [r.target, r.details])).toEqual([
      [agentId, { tier: 'lockdown', previousTier: null, cause: 'admin' }],
    ]);
  });

  it('a version the agent cannot apply is rolled back there and reported with its error', async () => {
    const document: PolicyDocument = structuredClone(DEFAULT_POLICY);
    document.tiers[2].settings.managerLink.ciphers = ['TLS_AES_256_GCM_SHA384', 'NOT-A-REAL-CIPHER'];
    document.tiers[2].settings.idleLockSeconds = 60;
    const created = await manager.app.get(PolicyService).create({ document, comment: 'bad cipher' }, 'admin');
    expect(created.version).toBe(2);
    await expect.poll(async () => (await view()).compliance?.errors.length ?? 0, { timeout: 15_000 }).toBe(1);
    const seen = await view();
    expect(seen.revision).toBe(3);
    expect(seen.compliance).toMatchObject({ revision: 2, applied: false });
    expect(seen.compliance?.errors[0]).toMatch(/manager_link: cipher suites unknown.*NOT-A-REAL-CIPHER/);
    expect(seen.status).toBe('non_compliant');
    // Rolled back: the drop-in is lockdown's of version 1, not the 60 s of the refused version.
    expect(dropIn()).toBe(idleLockDropIn(120));
  });

  it('under lockdown a new file in the watched folder is sealed, and an authorised open works and is audited', async () => {
    const downloads = join(home, 'Downloads');
    writeFileSync(join(downloads, 'bed4-referral.txt'), 'Referral for bed 4');
    await sealing.sweepNow();
    expect(readdirSync(downloads).sort()).toEqual(['bed4-referral.txt.wwsealed', 'ward3-discharges.csv.wwsealed']);
    const sealedPath = join(downloads, 'bed4-referral.txt.wwsealed');
    expect(readFileSync(sealedPath).includes('Referral for bed 4')).toBe(false);

    const opened = await opener.open({ path: sealedPath, userToken: nurse, reason: 'Referral for the GP' });
    expect(readFileSync(opened.out, 'utf8')).toBe('Referral for bed 4');
    expect(opened.policyVersion).toBe(1);
    const audit = manager.app.get(AuditService);
    const opens = (await audit.list(1_000)).filter((r) => r.action === 'seal.unwrap');
    expect(opens.map((r) => [r.target, r.details])).toEqual([
      [agentId, expect.objectContaining({ policyVersion: 1, userToken: nurse, reason: 'Referral for the GP' })],
    ]);
    // Outside the policy's folders nothing is asked of the manager (and nothing audited as an open).
    await expect(
      opener.open({ path: join(home, 'elsewhere.wwsealed'), userToken: nurse, reason: 'just looking' }),
    ).rejects.toThrow();
    expect((await audit.list(1_000)).filter((r) => r.action === 'seal.unwrap')).toHaveLength(1);
  });

  it('after a KEK rotation the sealed files are re-wrapped in place and still open', async () => {
    const downloads = join(home, 'Downloads');
    const path = join(downloads, 'ward3-discharges.csv.wwsealed');
    const before = await readSealedHeader(path);
    const bodyBefore = readFileSync(path).subarray(before.bodyOffset);
    await manager.app.get(KeyService).rotate(agentId, 'admin');
    const kek = await sealingKeys.current();
    expect(kek.version).toBe(before.kekVersion + 1);
    const report = await rewrapFolders(sealing.folders(), kek, rewrapOver(rewrapClient));
    expect(report).toEqual({ rewrapped: 2, current: 0, failed: 0 });
    const after = await readSealedHeader(path);
    expect(after.kekVersion).toBe(kek.version);
    expect(readFileSync(path).subarray(after.bodyOffset).equals(bodyBefore)).toBe(true);
    const opened = await opener.open({ path, userToken: nurse, reason: 'Discharge list for the audit' });
    expect(readFileSync(opened.out, 'utf8')).toBe('bed,letter\n4,sent\n');
  });

  it('the failed version halted its rollout; aborted and unpinned, a rising risk locks the workstation down', async () => {
    const rollouts = manager.app.get(PolicyRolloutService);
    await expect.poll(async () => (await rollouts.view())?.state, { timeout: 15_000 }).toBe('halted');
    expect((await rollouts.view())?.haltReason).toMatch(/NOT-A-REAL-CIPHER/);
    await rollouts.abort('admin');
    await manager.app.get(AgentPolicyService).pin(agentId, null, 'admin');
    await expect.poll(async () => (await view()).compliance?.tier, { timeout: 15_000 }).toBe('baseline');
    expect(dropIn()).toBe(idleLockDropIn(900));

    // The path a ScoreBatch from the agent takes on the manager: stored, alerted, then the tier.
    const now = Date.now();
    await manager.app.get(ScoreIngestService).ingest(agentId, {
      sequence: 1,
      scores: [
        {
          id: 'risk-1',
          windowStartMs: now - 60_000,
          windowEndMs: now,
          user: 'u_0123456789abcdef',
          score: 96,
          threshold: 60,
          severity: Severity.SEVERITY_CRITICAL,
          modelSource: 'fleet',
          baselineSource: 'user',
          reasons: [{ text: 'Many files rewritten', source: 'rule', feature: '', ruleId: 'ransomware-burst' }],
          ruleIds: ['ransomware-burst'],
          scoredAtMs: now,
          partial: false,
          suspects: [],
        },
      ],
    });
    await expect.poll(async () => (await view()).compliance?.tier, { timeout: 15_000 }).toBe('lockdown');
    const seen = await view();
    expect(seen).toMatchObject({ pinnedTier: null, tier: 'lockdown', tierSource: 'threat', policyVersion: 1 });
    expect(['alert', 'score']).toContain(seen.threat.cause?.kind);
    expect(seen.compliance).toMatchObject({ tier: 'lockdown', revision: seen.revision });
    expect(dropIn()).toBe(idleLockDropIn(120));
    const tiers = (await manager.app.get(AuditService).list(1_000)).filter((r) => r.action === 'policy.tier');
    expect(tiers.map((r) => [r.target, r.details.toTier])).toEqual([[agentId, 'lockdown']]);
  });

  it('a drop to a tier with unsealOnDrop opens the sealed files again, one audited unwrap each', async () => {
    const downloads = join(home, 'Downloads');
    expect(readdirSync(downloads).sort()).toEqual(['bed4-referral.txt.wwsealed', 'ward3-discharges.csv.wwsealed']);
    const document: PolicyDocument = structuredClone(DEFAULT_POLICY);
    document.tiers[0].settings.sealing.unsealOnDrop = true;
    const created = await manager.app.get(PolicyService).create({ document, comment: 'unseal on drop' }, 'admin');
    await expect.poll(async () => (await view()).compliance?.policyVersion, { timeout: 15_000 }).toBe(created.version);

    await manager.app.get(AgentPolicyService).pin(agentId, 'baseline', 'admin');
    await expect.poll(async () => (await view()).compliance?.tier, { timeout: 15_000 }).toBe('baseline');
    const seen = await view();
    expect(seen.compliance).toMatchObject({ policyVersion: created.version, applied: true });
    expect(seen.compliance?.settings.find((s) => s.name === 'sealing')).toEqual({
      name: 'sealing',
      state: 'applied',
      detail: 'sealing is off in this tier; bulk unseal: 2 files unsealed',
    });
    expect(readdirSync(downloads).sort()).toEqual(['bed4-referral.txt', 'ward3-discharges.csv']);
    expect(readFileSync(join(downloads, 'bed4-referral.txt'), 'utf8')).toBe('Referral for bed 4');
    // One seal.unwrap row per file, naming the workstation (nobody at a keyboard asked) and the cause.
    const unwraps = (await manager.app.get(AuditService).list(1_000)).filter(
      (r) => r.action === 'seal.unwrap' && r.details.userToken === workstation,
    );
    expect(unwraps).toHaveLength(2);
    for (const row of unwraps) {
      expect(row.target).toBe(agentId);
      expect(row.details.reason).toBe(`bulk unseal: the tier dropped (policy version ${created.version})`);
    }
  });
});
