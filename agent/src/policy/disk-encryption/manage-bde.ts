// Windows: BitLocker state of the operating-system volume from `manage-bde -status`
// (English output). The OS volume is the section marked `[OS Volume]` (else C:). It is
// encrypted when fully encrypted with protection on; suspended protection, encryption in
// progress or a decrypted volume are not. Pure; never throws.
import { type DiskEncryptionStatus, unknownStatus } from './disk-encryption-status';

export const MANAGE_BDE_ARGS = ['-status'] as const;

export function parseManageBde(output: string): DiskEncryptionStatus {
  const sections = output.split(/\r?\n(?=Volume [A-Za-z]:)/).filter((s) => /^Volume [A-Za-z]:/.test(s));
  if (sections.length === 0) return unknownStatus('manage-bde listed no volume');
  const os = sections.find((s) => s.includes('[OS Volume]')) ?? sections.find((s) => s.startsWith('Volume C:'));
  if (!os) return unknownStatus('manage-bde listed no operating-system volume');
  const volume = /^Volume ([A-Za-z]:)/.exec(os)?.[1] ?? '?';
  const field = (name: string) => new RegExp(`^\\s*${name}:\\s*(.+?)\\s*$`, 'm').exec(os)?.[1] ?? '';
  const conversion = field('Conversion Status');
  const protection = field('Protection Status');
  const percent = field('Percentage Encrypted');
  if (!conversion) return unknownStatus(`no conversion status for ${volume}`);
  const detail =
    `${volume} ${conversion}, ${protection || 'protection unknown'}${percent ? ` (${percent})` : ''}`.slice(0, 300);
  if (/^Fully Encrypted$/i.test(conversion) && /^Protection On$/i.test(protection))
    return { state: 'encrypted', detail: `BitLocker: ${detail}` };
  return { state: 'not_encrypted', detail: `BitLocker: ${detail}` };
}
