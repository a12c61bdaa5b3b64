// macOS: FileVault state from `fdesetup status`. "FileVault is On." without a
// conversion in progress is encrypted; "Off", or encryption/decryption still running,
// is not. Pure; never throws.
import { type DiskEncryptionStatus, unknownStatus } from './disk-encryption-status';

export const FDESETUP_ARGS = ['status'] as const;

export function parseFdesetup(output: string): DiskEncryptionStatus {
  const text = output.trim();
  const progress = /(Encryption|Decryption) in progress[^\n]*/i.exec(text)?.[0];
  if (progress) return { state: 'not_encrypted', detail: `FileVault: ${progress}`.slice(0, 300) };
  if (/^FileVault is On\./m.test(text)) return { state: 'encrypted', detail: 'FileVault is on' };
  if (/^FileVault is Off\./m.test(text)) return { state: 'not_encrypted', detail: 'FileVault is off' };
  return unknownStatus('fdesetup answer not understood');
}
