// A proto login event for scoring tests: `action` by `user` from one address at `timeMs`.
import { Severity, type Event } from '@wardwatch/proto';

export const login = (timeMs: number, action: string, user = 'nurse.a', id = `e${timeMs}`): Event => ({
  id,
  timeMs,
  sequence: 0,
  severity: Severity.SEVERITY_INFO,
  user,
  detail: {
    $case: 'login',
    value: {
      action,
      method: 'password',
      service: 'sshd',
      tty: '',
      sourceHost: '',
      sourceIp: '203.0.113.7',
      sourcePort: 0,
      targetUser: '',
      raw: '',
    },
  },
});
