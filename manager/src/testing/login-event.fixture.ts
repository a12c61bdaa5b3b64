// A proto logon event as an agent sends it (user already a pseudonym token), for ingest tests.
import { Severity, type Event } from '@wardwatch/proto';

export function logonEvent(id: string, timeMs = Date.now()): Event {
  return {
    id,
    timeMs,
    sequence: 0,
    severity: Severity.SEVERITY_INFO,
    user: 'u_0000000000000001',
    detail: {
      $case: 'login',
      value: {
        action: 'logon',
        method: 'password',
        service: 'sshd',
        tty: '',
        sourceHost: '',
        sourceIp: '',
        sourcePort: 0,
        targetUser: '',
        raw: '',
      },
    },
  };
}
