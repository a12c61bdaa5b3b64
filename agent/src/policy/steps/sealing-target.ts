// Where the policy's sealing settings go. File sealing itself (the AES-256-GCM envelope
// and the workstation's key-encryption key) lives in protection/sealing/; this seam is
// what the policy needs of it. Until it is wired into this build, the unwired target
// takes the settings and honestly answers that they are not enforced.
import type { SealingSettings } from '@wardwatch/shared';

export interface SealingTarget {
  /** Hands over the tier's sealing settings; says whether they are in force now. */
  configure(settings: SealingSettings): Promise<{ enforced: boolean; detail: string }>;
}

export const SEALING_NOT_ENFORCED = 'not enforced in this build: file sealing is not wired to the policy yet';

export class UnwiredSealingTarget implements SealingTarget {
  private last: SealingSettings | null = null;

  configure(settings: SealingSettings): Promise<{ enforced: boolean; detail: string }> {
    this.last = settings;
    return Promise.resolve({ enforced: false, detail: SEALING_NOT_ENFORCED });
  }

  /** What the policy asked last (for the day sealing is wired, and for tests). */
  requested(): SealingSettings | null {
    return this.last;
  }
}
