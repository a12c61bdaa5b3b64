import type { DiskEncryptionState } from '@wardwatch/shared/agent';

/** What a disk-encryption check found about the system volume; the detail is short and has no user data. */
export interface DiskEncryptionStatus {
  state: DiskEncryptionState;
  detail: string;
}

export const unknownStatus = (detail: string): DiskEncryptionStatus => ({
  state: 'unknown',
  detail: detail.slice(0, 300),
});
