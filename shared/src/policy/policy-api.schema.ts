// REST API v1 for protection policies: versions, an agent's assignment (pin) and the
// compliance it last reported. The compliance shape is also the manager's bound on
// what an agent may report (a hostile workstation): short strings, few items.
import { z } from 'zod';
import { PolicyDocument, TierId } from './policy-document.schema';
import { ThreatTierView, TierSource } from './policy-tiers.schema';

export const PolicyView = z.object({
  version: z.number().int(),
  document: PolicyDocument,
  comment: z.string(),
  createdAt: z.number(),
  createdBy: z.string(),
});
export type PolicyView = z.infer<typeof PolicyView>;

export const PolicyList = z.object({ items: z.array(PolicyView) });
export type PolicyList = z.infer<typeof PolicyList>;

export const PolicyCreateRequest = z
  .object({
    /** The version the edit started from: refused (409) when a newer one was saved since. */
    baseVersion: z.number().int().min(0).optional(),
    comment: z.string().trim().max(500).default(''),
    document: PolicyDocument,
  })
  .strict();
export type PolicyCreateRequest = z.infer<typeof PolicyCreateRequest>;

/** Pins an agent to a tier (null: unpinned, the tier follows the default). */
export const AgentPolicyPinRequest = z.object({ tier: TierId.nullable() }).strict();
export type AgentPolicyPinRequest = z.infer<typeof AgentPolicyPinRequest>;

export const COMPLIANCE_TEXT_MAX = 300;
export const MAX_COMPLIANCE_ERRORS = 16;
export const MAX_COMPLIANCE_SETTINGS = 16;

export const policySettingNames = [
  'sealing',
  'removable_media',
  'disk_encryption',
  'manager_link',
  'idle_lock',
] as const;
export const PolicySettingName = z.enum(policySettingNames);
export type PolicySettingName = z.infer<typeof PolicySettingName>;

/** applied: in force; not_enforced: this build or OS cannot enforce it (honestly reported); failed: tried and failed. */
export const settingStates = ['applied', 'not_enforced', 'not_applicable', 'failed'] as const;
export const PolicySettingState = z.object({
  name: PolicySettingName,
  state: z.enum(settingStates),
  detail: z.string().max(COMPLIANCE_TEXT_MAX),
});
export type PolicySettingState = z.infer<typeof PolicySettingState>;

export const diskEncryptionStates = ['encrypted', 'not_encrypted', 'unknown'] as const;
export const DiskEncryptionState = z.enum(diskEncryptionStates);
export type DiskEncryptionState = z.infer<typeof DiskEncryptionState>;

export const PolicyComplianceReport = z.object({
  revision: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  policyVersion: z.number().int().min(0).max(2_147_483_647),
  tier: z.union([TierId, z.literal('')]),
  /** The revision's settings are all in force (an apply is all or nothing). */
  applied: z.boolean(),
  errors: z.array(z.string().max(COMPLIANCE_TEXT_MAX)).max(MAX_COMPLIANCE_ERRORS),
  diskEncryption: z.object({ state: DiskEncryptionState, detail: z.string().max(COMPLIANCE_TEXT_MAX) }),
  settings: z.array(PolicySettingState).max(MAX_COMPLIANCE_SETTINGS),
  reportedAtMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type PolicyComplianceReport = z.infer<typeof PolicyComplianceReport>;

/** compliant: the assigned revision applied, nothing failed or unenforced, disk encrypted when required. */
export const complianceStatuses = ['compliant', 'non_compliant', 'pending', 'unknown'] as const;
export const ComplianceStatus = z.enum(complianceStatuses);
export type ComplianceStatus = z.infer<typeof ComplianceStatus>;

export const AgentPolicyView = z.object({
  agentId: z.string(),
  pinnedTier: TierId.nullable(),
  /** The tier assigned now: the pin, else the higher of the workstation's and its unit's threat tier. */
  tier: TierId,
  tierSource: TierSource,
  /** The workstation's own threat-driven tier and why (it still moves while a pin overrides it). */
  threat: ThreatTierView,
  /** Its unit's threat-driven tier, when it has a unit. */
  unitTier: ThreatTierView.nullable(),
  /** Marked by an admin as a canary: gets each new policy version first. */
  canary: z.boolean(),
  policyVersion: z.number().int(),
  /** Delivery revision, monotonic per agent: the agent refuses any not above what it applied. */
  revision: z.number().int(),
  status: ComplianceStatus,
  /** Why it is not compliant, in short phrases. */
  problems: z.array(z.string()),
  compliance: PolicyComplianceReport.nullable(),
  complianceAt: z.number().nullable(),
});
export type AgentPolicyView = z.infer<typeof AgentPolicyView>;

export const AgentPolicyList = z.object({ items: z.array(AgentPolicyView) });
export type AgentPolicyList = z.infer<typeof AgentPolicyList>;
