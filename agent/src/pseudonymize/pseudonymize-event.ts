// Replaces every identifying field of an event before it is queued for the
// manager. What stays in clear, and why (docs/privacy.md):
// - action, severity, time, pid/ppid, ports, protocol, service, method, tty,
//   size, entropy, sha256 of executables, device vendor/model/type: they describe
//   what happened and with which software, not who did it;
// - a path's folder class, depth and (well-known) extension: the signal;
// - OS accounts, loopback addresses and system software paths (shared/src/pseudonyms/clear-values.ts).
// Blanked: the raw auth-log line and command lines. Both routinely carry names,
// paths and sometimes passwords; rules that need them run on the workstation,
// and only their verdict leaves.
import type { Event } from '@wardwatch/proto';
import type { Pseudonymizer } from './pseudonymizer';
import { REMOVABLE_DEVICE_TYPES } from '../collectors/devices/device-snapshot';

export function pseudonymizeEvent(event: Event, p: Pseudonymizer): Event {
  const out: Event = { ...event, user: p.user(event.user) };
  const detail = event.detail;
  if (!detail) return out;
  switch (detail.$case) {
    case 'file': {
      const f = detail.value;
      out.detail = {
        $case: 'file',
        value: {
          ...f,
          path: p.path(f.path, { folderClass: f.folderClass, depth: f.depth }),
          previousPath: p.path(f.previousPath),
          extension: f.path ? p.extension(f.path) : '',
          owner: p.user(f.owner),
          process: p.path(f.process),
        },
      };
      break;
    }
    case 'login':
      out.detail = {
        $case: 'login',
        value: {
          ...detail.value,
          sourceHost: p.host(detail.value.sourceHost),
          sourceIp: p.ip(detail.value.sourceIp),
          targetUser: p.user(detail.value.targetUser),
          raw: '',
        },
      };
      break;
    case 'process':
      out.detail = {
        $case: 'process',
        value: { ...detail.value, executable: p.path(detail.value.executable), commandLine: '' },
      };
      break;
    case 'device': {
      const d = detail.value;
      // A removable volume's mount point is a removable root while mounted: paths below it are
      // classed `removable`. Other mounts (a share, a loop image) keep the class of where they are.
      const removable = REMOVABLE_DEVICE_TYPES.has(d.deviceType) && d.mountPoint !== '';
      if (removable && (d.action === 'mount' || d.action === 'connect')) p.places.mountedRemovable(d.mountPoint);
      const mountPoint = p.path(d.mountPoint, removable ? { folderClass: 'removable', depth: 0 } : undefined);
      if (d.action === 'unmount' || d.action === 'disconnect') p.places.unmountedRemovable(d.mountPoint);
      out.detail = { $case: 'device', value: { ...d, mountPoint, serial: p.device(d.serial) } };
      break;
    }
    case 'network':
      out.detail = {
        $case: 'network',
        value: {
          ...detail.value,
          remoteAddress: p.ip(detail.value.remoteAddress),
          process: p.path(detail.value.process),
        },
      };
      break;
  }
  return out;
}
