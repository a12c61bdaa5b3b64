// The agent's protection policy: verify a SignedPolicy (verify-policy.ts), apply its
// settings all or nothing (apply-policy.ts), keep what is in force (policy-state-store.ts)
// and say so in a PolicyCompliance report, with the disk encryption found now.
import type { KeyObject } from 'node:crypto';
import type { PolicyCompliance, SignedPolicy } from '@wardwatch/proto';
import type { PolicySettingState } from '@wardwatch/shared/agent';
import type { Logger } from '../logging/logger';
import { applyAtomically } from './apply-policy';
import type { DiskEncryptionStatus } from './disk-encryption/disk-encryption-status';
import type { PolicyStateStore } from './policy-state-store';
import type { PolicyStep } from './steps/policy-step';
import { verifySignedPolicy } from './verify-policy';

export interface PolicyServiceDeps {
  agentId: string;
  store: PolicyStateStore;
  steps: readonly PolicyStep[];
  keys: { get(keyId: string): KeyObject | undefined };
  diskEncryption: { check(): Promise<DiskEncryptionStatus> };
  now: () => number;
  logger: Logger;
}

export class PolicyService {
  private readonly log: Logger;

  constructor(private readonly deps: PolicyServiceDeps) {
    this.log = deps.logger.child({ component: 'policy' });
  }

  appliedRevision(): number {
    return this.deps.store.appliedRevision();
  }

  /** At start: the settings in force before the restart are put in force again (every step is idempotent). */
  async reassert(): Promise<void> {
    const current = this.deps.store.get().current;
    if (!current) return;
    const result = await applyAtomically(this.deps.steps, current.settings, current.settings, {
      policyVersion: current.policyVersion,
    });
    if (!result.ok) {
      this.log.error('policy in force could not be re-applied at start', {
        revision: current.revision,
        errors: result.errors,
      });
      this.deps.store.recordProblem({ revision: current.revision, errors: result.errors, atMs: this.deps.now() });
    }
  }

  /** Verifies and applies; a replay is ignored (logged), anything else refused is reported. */
  async handle(signed: SignedPolicy): Promise<void> {
    const { store } = this.deps;
    const verdict = verifySignedPolicy(signed, {
      key: (id) => this.deps.keys.get(id),
      agentId: this.deps.agentId,
      appliedRevision: store.appliedRevision(),
      now: this.deps.now(),
    });
    if (!verdict.ok) {
      this.log.warn('policy refused', { reason: verdict.reason, keyId: signed.keyId.slice(0, 32) });
      if (!verdict.reason.endsWith('(replay)'))
        store.recordProblem({ revision: 0, errors: [`policy refused: ${verdict.reason}`], atMs: this.deps.now() });
      return;
    }
    const policy = verdict.policy;
    const current = store.get().current;
    const result = await applyAtomically(this.deps.steps, policy.settings, current?.settings ?? null, {
      policyVersion: policy.policyVersion,
    });
    if (!result.ok) {
      this.log.error('policy apply failed and was rolled back', {
        revision: policy.revision,
        tier: policy.tier,
        failedStep: result.failedStep,
        errors: result.errors,
      });
      store.recordProblem({ revision: policy.revision, errors: result.errors, atMs: this.deps.now() });
      return;
    }
    store.commit({
      revision: policy.revision,
      policyVersion: policy.policyVersion,
      tier: policy.tier,
      tierName: policy.tierName,
      settings: policy.settings,
      outcomes: result.outcomes.map((o) => ({ name: o.name, state: o.outcome.state, detail: o.outcome.detail })),
      appliedAtMs: this.deps.now(),
      payloadHash: policy.payloadHash,
    });
    this.log.info('policy applied', { revision: policy.revision, version: policy.policyVersion, tier: policy.tier });
  }

  /** What is in force, what failed, and the disk encryption found now. */
  async compliance(): Promise<PolicyCompliance> {
    const { current, problem } = this.deps.store.get();
    const disk = await this.deps.diskEncryption.check().catch((error: unknown) => ({
      state: 'unknown' as const,
      detail: `check failed: ${String(error)}`.slice(0, 300),
    }));
    const settings: PolicySettingState[] = [
      ...(current?.outcomes ?? []).map((o) => this.now(o)),
      diskSetting(disk, current?.settings.diskEncryptionRequired),
    ];
    return {
      revision: current?.revision ?? 0,
      policyVersion: current?.policyVersion ?? 0,
      tier: current?.tier ?? '',
      applied: current !== null && problem === null,
      errors: problem?.errors ?? [],
      diskEncryption: disk,
      settings,
      reportedAtMs: this.deps.now(),
    };
  }

  /** A stored outcome, or the step's state now when it keeps working after the apply (sealing). */
  private now(stored: PolicySettingState): PolicySettingState {
    const live = this.deps.steps.find((s) => s.name === stored.name)?.status?.() ?? null;
    return live ? { name: stored.name, state: live.state, detail: live.detail.slice(0, 300) } : stored;
  }
}

function diskSetting(disk: DiskEncryptionStatus, required: boolean | undefined): PolicySettingState {
  if (!required) return { name: 'disk_encryption', state: 'not_applicable', detail: 'not required by this tier' };
  if (disk.state === 'encrypted') return { name: 'disk_encryption', state: 'applied', detail: disk.detail };
  return {
    name: 'disk_encryption',
    state: 'failed',
    detail: `required, but ${disk.state}: ${disk.detail}`.slice(0, 300),
  };
}
