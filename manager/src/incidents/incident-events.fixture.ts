// Login events as agents send them, for the incident tests.
import type { Event } from '@wardwatch/proto';
import type { EventView } from '@wardwatch/shared';

export const token = (prefix: 'u' | 'ip' | 'h', n: number) => `${prefix}_${n.toString(16).padStart(16, '0')}`;

export interface LoginSpec {
  id: string;
  timeMs: number;
  user: string;
  action: 'logon' | 'failed_logon' | 'logoff';
  sourceIp?: string;
  sourceHost?: string;
}

export function loginEvent(spec: LoginSpec): Event {
  return {
    id: spec.id,
    timeMs: spec.timeMs,
    sequence: 0,
    severity: 0,
    user: spec.user,
    detail: {
      $case: 'login',
      value: {
        action: spec.action,
        method: 'password',
        service: 'sshd',
        tty: '',
        sourceHost: spec.sourceHost ?? '',
        sourceIp: spec.sourceIp ?? '',
        sourcePort: 0,
        targetUser: '',
        raw: '',
      },
    },
  };
}

/** The same event as EventBus hands it over, for the tracker alone. */
export function loginView(spec: LoginSpec & { agentId: string; hostname?: string }): EventView {
  return {
    id: spec.id,
    agentId: spec.agentId,
    hostname: spec.hostname ?? spec.agentId,
    timeMs: spec.timeMs,
    receivedMs: spec.timeMs,
    severity: 'info',
    user: spec.user,
    category: 'login',
    action: spec.action,
    detail: { action: spec.action, sourceIp: spec.sourceIp ?? '', sourceHost: spec.sourceHost ?? '' },
  };
}
