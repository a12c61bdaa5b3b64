// Forwarded records as OCSF 1.3.0 events (https://schema.ocsf.io/1.3.0):
// - alert changes → Detection Finding (class 2004, category 2 Findings); activity 1 Create
//   (raised), 2 Update (grown, acknowledged, episode ended), 3 Close;
// - response commands → Remediation Activity (class 7001, category 7 Remediation, new in 1.3.0);
//   activity by the D3FEND tactic of the action (1 Isolate, 2 Evict, 3 Restore, 4 Harden, 99 Other);
// - every audit entry → API Activity (class 6003, category 6 Application Activity): who asked
//   the manager to do what, to which target; activity 1 Create, 3 Update, 4 Delete, 99 Other.
// type_uid is class_uid * 100 + activity_id; metadata.uid is the event id receivers dedupe on.
import { detailText, type ForwardRecord } from './forward-record';
import { OCSF_SEVERITY_ID, severityOf } from './severity-map';

export const OCSF_VERSION = '1.3.0';

export type OcsfEvent = Record<string, unknown> & {
  class_uid: number;
  category_uid: number;
  activity_id: number;
  type_uid: number;
  time: number;
  severity_id: number;
  metadata: Record<string, unknown> & {
    uid: string;
    version: string;
    product: { name: string; vendor_name: string; version: string };
  };
};

const FINDING_ACTIVITY: Record<string, [number, string]> = {
  'alert.raise': [1, 'Create'],
  'alert.close': [3, 'Close'],
};

const REMEDIATION_ACTIVITY: Record<string, [number, string]> = {
  revokeSession: [1, 'Isolate'],
  lockScreen: [1, 'Isolate'],
  blockRemovable: [1, 'Isolate'],
  disableAccount: [1, 'Isolate'],
  killProcessTree: [2, 'Evict'],
  undo: [3, 'Restore'],
  restoreFiles: [3, 'Restore'],
  rotateCommandKey: [4, 'Harden'],
};

function apiActivity(action: string): [number, string] {
  const verb = action.split('.').pop() ?? '';
  if (/^(create|raise|issued|requested|set|comment)$/.test(verb)) return [1, 'Create'];
  if (/^(remove|delete|revoke|disable)$/.test(verb)) return [4, 'Delete'];
  if (/^(update|approve|approved|rejected|acknowledge|assign|close|rotate|expired|result)$/.test(verb))
    return [3, 'Update'];
  return [99, 'Other'];
}

function base(
  record: ForwardRecord,
  classUid: number,
  className: string,
  categoryUid: number,
  categoryName: string,
  [activityId, activityName]: [number, string],
  version: string,
): OcsfEvent {
  const severity = severityOf(record);
  return {
    class_uid: classUid,
    class_name: className,
    category_uid: categoryUid,
    category_name: categoryName,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    time: record.timeMs,
    severity_id: OCSF_SEVERITY_ID[severity],
    severity,
    metadata: {
      uid: record.eventId,
      version: OCSF_VERSION,
      product: { name: 'WardWatch Manager', vendor_name: 'WardWatch', version },
      event_code: record.action,
      sequence: record.seq,
    },
  };
}

function actorOf(record: ForwardRecord): Record<string, unknown> {
  return { user: { name: record.actor, type_id: record.actor === 'system' || record.actor.includes(':') ? 3 : 1 } };
}

export function ocsfOf(record: ForwardRecord, managerVersion: string): OcsfEvent {
  if (record.kind === 'alert') {
    const alert = record.alert;
    const activity = FINDING_ACTIVITY[record.action] ?? [2, 'Update'];
    return {
      ...base(record, 2004, 'Detection Finding', 2, 'Findings', activity, managerVersion),
      status_id: alert?.status === 'closed' ? 4 : alert?.status === 'acknowledged' ? 2 : 1,
      status: alert?.status ?? 'open',
      message: alert?.title ?? record.action,
      finding_info: {
        uid: alert?.id ?? record.target,
        title: alert?.title ?? record.action,
        desc: alert?.reasons.join('; '),
        created_time: alert?.createdAt,
        analytic: alert?.ruleIds?.length ? { name: alert.ruleIds.join(','), type_id: 1, type: 'Rule' } : undefined,
      },
      risk_score: alert?.score,
      device: alert ? { uid: alert.agentId, type_id: 2, type: 'Desktop' } : undefined,
      actor: alert?.user ? { user: { uid: alert.user } } : undefined,
      unmapped: { verdict: alert?.verdict ?? undefined, changed_by: record.actor, details: record.details },
    };
  }
  if (record.kind === 'action') {
    const kind = detailText(record, 'action');
    const outcome = record.action === 'command.expired' ? 'expired' : detailText(record, 'outcome') || 'issued';
    const [statusId, status] =
      outcome === 'done'
        ? [1, 'Success']
        : outcome === 'failed' || outcome === 'expired'
          ? [2, 'Failure']
          : [99, outcome];
    return {
      ...base(
        record,
        7001,
        'Remediation Activity',
        7,
        'Remediation',
        REMEDIATION_ACTIVITY[kind] ?? [99, kind || 'Other'],
        managerVersion,
      ),
      command_uid: detailText(record, 'commandId'),
      status_id: statusId,
      status,
      message: `${record.action} ${kind}`.trim(),
      device: { uid: record.target, type_id: 2, type: 'Desktop' },
      actor: actorOf(record),
      unmapped: { details: record.details },
    };
  }
  return {
    ...base(record, 6003, 'API Activity', 6, 'Application Activity', apiActivity(record.action), managerVersion),
    actor: actorOf(record),
    api: { operation: record.action, service: { name: 'wardwatch-manager' } },
    src_endpoint: { name: 'wardwatch-manager' },
    resources: [{ uid: record.target }],
    status_id: 1,
    status: 'Success',
    unmapped: { details: record.details },
  };
}
