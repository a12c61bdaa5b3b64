// Which actions the playbooks call for on one alert. Pure: the alert, the workstation
// and the time in, the matched actions out; the decision service does the I/O.
//
// A rule matches when every condition it states holds (an absent condition holds).
// Several rules may call for the same action kind on one alert: it is taken once,
// in the strongest mode asked for (automatic > approve > notify), so that a narrow
// playbook asking for an automatic kill is not weakened by a broad one that only
// notifies; ties keep the first playbook by id, then the first rule.
import type {
  AlertKind,
  ClinicalRole,
  PlaybookAction,
  PlaybookActionKind,
  PlaybookConditions,
  PlaybookMode,
  PlaybookView,
  SeverityName,
} from '@wardwatch/shared';

/** What evaluation reads of an alert. */
export interface AlertFacts {
  id: string;
  kind: AlertKind;
  score: number;
  severity: SeverityName;
  ruleIds: readonly string[];
  reasons: readonly { source: string; feature?: string }[];
  /** The clinical role on record for the alert's user; null when none is (or the alert has no user). */
  userRole: ClinicalRole | null;
  /** 0–1: how unlike its owner the alert's least owner-like session was; null when none was judged. */
  identityMismatch: number | null;
}

/** What evaluation reads of the workstation. */
export interface WorkstationFacts {
  tags: readonly string[];
  unit: string | null;
}

export interface PlaybookMatch {
  playbookId: string;
  playbookVersion: number;
  ruleName: string;
  action: PlaybookAction;
}

const SEVERITY_RANK: Record<SeverityName, number> = {
  unspecified: 0,
  info: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};
const MODE_RANK: Record<PlaybookMode, number> = { notify: 0, approve: 1, automatic: 2 };

/** Minutes since local midnight in the given IANA time zone. */
export function minuteOfDay(nowMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(nowMs));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

const clockMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** From inclusive, to exclusive; a window whose end is before its start crosses midnight. */
export function inTimeWindow(minute: number, window: { from: string; to: string }): boolean {
  const from = clockMinutes(window.from);
  const to = clockMinutes(window.to);
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

export function conditionsHold(
  when: PlaybookConditions,
  alert: AlertFacts,
  station: WorkstationFacts,
  minute: number,
): boolean {
  if (when.minScore !== undefined && alert.score < when.minScore) return false;
  if (
    when.minIdentityMismatch !== undefined &&
    (alert.identityMismatch === null || alert.identityMismatch < when.minIdentityMismatch)
  )
    return false;
  if (when.minSeverity !== undefined && SEVERITY_RANK[alert.severity] < SEVERITY_RANK[when.minSeverity]) return false;
  if (when.ruleIds && !when.ruleIds.some((id) => alert.ruleIds.includes(id))) return false;
  if (when.reasonSources && !alert.reasons.some((r) => (when.reasonSources as string[]).includes(r.source)))
    return false;
  if (when.features && !alert.reasons.some((r) => r.feature !== undefined && when.features!.includes(r.feature)))
    return false;
  if (when.tagsAnyOf && !when.tagsAnyOf.some((t) => station.tags.includes(t))) return false;
  if (when.tagsNoneOf && when.tagsNoneOf.some((t) => station.tags.includes(t))) return false;
  if (when.units && (station.unit === null || !when.units.includes(station.unit))) return false;
  if (when.alertKinds && !(when.alertKinds as string[]).includes(alert.kind)) return false;
  if (when.userRolesAnyOf && (alert.userRole === null || !when.userRolesAnyOf.includes(alert.userRole))) return false;
  if (when.timeOfDay && !inTimeWindow(minute, when.timeOfDay)) return false;
  return true;
}

/** The actions called for, one per action kind, from enabled playbooks only. */
export function evaluatePlaybooks(
  playbooks: readonly PlaybookView[],
  alert: AlertFacts,
  station: WorkstationFacts,
  nowMs: number,
  timeZone: string,
): PlaybookMatch[] {
  const minute = minuteOfDay(nowMs, timeZone);
  const chosen = new Map<PlaybookActionKind, PlaybookMatch>();
  const ordered = [...playbooks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const playbook of ordered) {
    if (!playbook.enabled) continue;
    for (const rule of playbook.rules) {
      if (!conditionsHold(rule.when, alert, station, minute)) continue;
      for (const action of rule.then) {
        const held = chosen.get(action.kind);
        if (held && MODE_RANK[held.action.mode] >= MODE_RANK[action.mode]) continue;
        chosen.set(action.kind, {
          playbookId: playbook.id,
          playbookVersion: playbook.version,
          ruleName: rule.name,
          action,
        });
      }
    }
  }
  return [...chosen.values()];
}
