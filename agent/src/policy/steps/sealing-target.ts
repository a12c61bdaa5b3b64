// Where the policy's sealing settings go (folder-sealing-target.ts puts them in force with
// protection/sealing/). A target either takes the settings (sealing what is there now) or
// throws having changed nothing, so that the policy's apply stays all or nothing.
import type { PolicySettingState, SealingSettings } from '@wardwatch/shared';

export interface SealingTarget {
  /** Puts the tier's sealing settings in force; says what it did. Throws when it cannot (no KEK). */
  configure(settings: SealingSettings, policyVersion: number): Promise<{ detail: string }>;
  /** How sealing stands now (its sweeps keep sealing new files); null before the first configure. */
  status(): Omit<PolicySettingState, 'name'> | null;
}
