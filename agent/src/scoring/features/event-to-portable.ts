// Maps the agent's proto Event to a portable record, so that live scoring and
// the offline CLI run the same feature and rule code. Pure; returns null for
// events the scorer has no use for (with the reason, for counting).
import type { Event } from '@wardwatch/proto';
import { PORTABLE_FORMAT_VERSION, type FolderClass, type PortableEvent } from '@wardwatch/shared/agent';

export type MapResult = { event: PortableEvent } | { skipped: string };

const FILE_KINDS: Partial<Record<string, 'file_create' | 'file_write' | 'file_delete' | 'file_read'>> = {
  create: 'file_create',
  write: 'file_write',
  delete: 'file_delete',
  read: 'file_read',
};

const folderClass = (value: string): FolderClass =>
  value === 'phi' || value === 'system' || value === 'removable' ? value : 'other';

/**
 * A failed logon whose account the log does not name (pam_unix without
 * `user=`, klogind, wu-ftpd) belongs to an unknown account of its source: one
 * per source, so attempts from different sources never add up to one phantom
 * account that trips per-account rules. No `@` or `\` in it: the pseudonym
 * canonicalisation would cut the source off (shared canonicalUser).
 */
export function unknownUserOf(login: { sourceIp: string; sourceHost: string; tty: string; service: string }): string {
  const source =
    login.sourceIp || login.sourceHost || (login.tty ? `tty ${login.tty}` : '') || login.service || 'local';
  return `(unknown from ${source.slice(0, 200).replace(/[@\\]/g, '_')})`;
}

export function eventToPortable(event: Event, host: string): MapResult {
  const user = event.user || (event.detail?.$case === 'login' ? unknownUserOf(event.detail.value) : 'unknown');
  const base = { v: PORTABLE_FORMAT_VERSION, time: event.timeMs, host, user } as const;
  const detail = event.detail;
  if (!detail) return { skipped: 'no_detail' };
  switch (detail.$case) {
    case 'login': {
      const l = detail.value;
      const source = {
        method: l.method || undefined,
        sourceHost: l.sourceHost || undefined,
        sourceIp: l.sourceIp || undefined,
      };
      if (l.action === 'logon' || l.action === 'logoff' || l.action === 'failed_logon') {
        return { event: { ...base, kind: l.action, ...source } };
      }
      if (l.action === 'privilege_use') {
        return {
          event: {
            ...base,
            kind: 'privilege_use',
            targetUser: l.targetUser || undefined,
            service: l.service || undefined,
          },
        };
      }
      return { skipped: `login_${l.action || 'unknown'}` };
    }
    case 'file': {
      // The hottest case (a busy ward folder): literals without spreads (each spread after
      // the first is a slow generic copy in V8); same fields, same order as before.
      const f = detail.value;
      const path = f.path || '(unknown)';
      const folder = folderClass(f.folderClass);
      const extension = f.extension || undefined;
      const sizeBytes = f.sizeBytes >= 0 ? f.sizeBytes : undefined;
      const entropy = f.entropy >= 0 && f.entropy <= 8 ? f.entropy : undefined;
      const { timeMs: time } = event;
      const v = PORTABLE_FORMAT_VERSION;
      const kind = FILE_KINDS[f.action];
      if (kind !== undefined)
        return { event: { v, time, host, user, kind, path, folderClass: folder, extension, sizeBytes, entropy } };
      // A patient file moved out of the patient-data folders is taken out like a copy (a leaver's `mv` to OneDrive).
      if (f.action === 'rename' && f.previousFolderClass === 'phi' && folder !== 'phi' && f.previousPath) {
        const source = { path: f.previousPath, folderClass: 'phi' as const, extension, sizeBytes, entropy };
        return {
          event: { v, time, host, user, kind: 'file_copy', ...source, targetPath: path, targetFolderClass: folder },
        };
      }
      if (f.action === 'rename') {
        const { previousPath } = f;
        const fields = { path, folderClass: folder, extension, sizeBytes, entropy, previousPath };
        return { event: { v, time, host, user, kind: 'file_rename', ...fields } };
      }
      // The collector reports a copy only of a patient-data file (copy-lineage.ts): `previousPath` is it.
      if (f.action === 'copy' && f.previousPath) {
        const source = { path: f.previousPath, folderClass: 'phi' as const, extension, sizeBytes, entropy };
        return {
          event: { v, time, host, user, kind: 'file_copy', ...source, targetPath: path, targetFolderClass: folder },
        };
      }
      return { skipped: `file_${f.action || 'unknown'}` };
    }
    case 'process': {
      const p = detail.value;
      const fields = { executable: p.executable || '(unknown)', commandLine: p.commandLine || undefined, pid: p.pid };
      if (p.action === 'start') return { event: { ...base, kind: 'process_start', ...fields } };
      if (p.action === 'stop') return { event: { ...base, kind: 'process_stop', ...fields } };
      return { skipped: `process_${p.action || 'unknown'}` };
    }
    case 'device': {
      const d = detail.value;
      const removable =
        d.deviceType === 'usb-storage' || d.deviceType === 'removable' || d.mountPoint.startsWith('/media');
      const fields = { deviceType: d.deviceType || 'unknown', removable };
      if (d.action === 'connect' || d.action === 'mount')
        return { event: { ...base, kind: 'device_connect', ...fields } };
      if (d.action === 'disconnect' || d.action === 'unmount')
        return { event: { ...base, kind: 'device_disconnect', ...fields } };
      return { skipped: `device_${d.action || 'unknown'}` };
    }
    case 'network': {
      const n = detail.value;
      if (!n.remoteAddress) return { skipped: 'network_no_address' };
      return {
        event: {
          ...base,
          kind: 'net_connect',
          remoteAddress: n.remoteAddress,
          remotePort: n.remotePort || undefined,
          process: n.process || undefined,
        },
      };
    }
  }
}
