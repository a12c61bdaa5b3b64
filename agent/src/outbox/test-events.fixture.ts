// Event factories shared by the agent's tests (not part of the build's behaviour).
import { Severity, type Event } from '@wardwatch/proto';

export function fileEvent(id: string, folderClass: 'phi' | 'other' = 'other'): Event {
  return {
    id,
    timeMs: 1,
    sequence: 0,
    severity: Severity.SEVERITY_INFO,
    user: 'u',
    detail: {
      $case: 'file',
      value: {
        action: 'write',
        path: `/x/${id}`,
        previousPath: '',
        folderClass,
        extension: '',
        depth: 1,
        sizeBytes: 1,
        entropy: -1,
        owner: 'u',
        process: '',
        pid: 0,
      },
    },
  };
}

export function loginEvent(id: string, action: 'logon' | 'failed_logon' | 'privilege_use' = 'failed_logon'): Event {
  return {
    id,
    timeMs: 1,
    sequence: 0,
    severity: Severity.SEVERITY_MEDIUM,
    user: 'u',
    detail: {
      $case: 'login',
      value: {
        action,
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
