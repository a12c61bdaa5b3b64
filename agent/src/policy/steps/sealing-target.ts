// Where the policy's sealing settings go (folder-sealing-target.ts puts them in force with
// protection/sealing/). A target either takes the settings (sealing what is there now) or
// throws having changed nothing, so that the policy's apply stays all or nothing.
import type { PolicySettingState, SealingSettings } from '@wardwatch/shared/agent';

export interface SealingTarget {
  /** Puts the tier's sealing settings in force; says what it did. Throws when it cannot (no KEK). */
  /** `unsealed`: how many files a bulk unseal (the tier dropped, `unsealOnDrop`) opened again. */
  configure(settings: SealingSettings, policyVersion: number): Promise<{ detail: string; unsealed?: number }>;
  /** How sealing stands now (its sweeps keep sealing new files); null before the first configure. */
  status(): Omit<PolicySettingState, 'name'> | null;
}
