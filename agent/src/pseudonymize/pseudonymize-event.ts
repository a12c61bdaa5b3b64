// Replaces every identifying field of an event by its keyed pseudonym before it
// is queued. What stays in clear, and why: action, severity, time, extension,
// depth and folder class of a path (the signal, not the identity), entropy and
// size, tty names, ports, service and method names, pids.
// The raw auth-log line and command lines are blanked: they name people.
import type { Event } from '@wardwatch/proto';
import type { Pseudonymizer } from './pseudonymizer';

export function pseudonymizeEvent(event: Event, p: Pseudonymizer): Event {
  const out: Event = { ...event, user: p.user(event.user) };
  const detail = event.detail;
  if (!detail) return out;
  switch (detail.$case) {
    case 'file':
      out.detail = {
        $case: 'file',
        value: {
          ...detail.value,
          path: p.path(detail.value.path),
          previousPath: p.path(detail.value.previousPath),
          owner: p.user(detail.value.owner),
          process: p.path(detail.value.process),
        },
      };
      break;
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
    case 'device':
      out.detail = { $case: 'device', value: { ...detail.value, mountPoint: p.path(detail.value.mountPoint) } };
      break;
    case 'network':
      out.detail = {
        $case: 'network',
        value: { ...detail.value, remoteAddress: p.ip(detail.value.remoteAddress), process: p.path(detail.value.process) },
      };
      break;
  }
  return out;
}
