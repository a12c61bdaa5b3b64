// What the alerts page shows of an alert, as plain strings (rendered as React
// text only): each reason with the figures behind it, the scored window, and
// the score against its threshold.
import type { AlertRelation, AlertVerdict, AlertView } from '@wardwatch/shared';
import { formatFigure } from '../common/format';

export interface ReasonLine {
  text: string;
  /** "rule", "baseline", "model" or "context" (event-rule alerts: "event"; silent agents: "manager"). */
  source: string;
  /** e.g. "rule brute-force" or "value 40 · usual 1" when the text does not already say it. */
  detail?: string;
}

const figure = formatFigure;

/** Raised by the manager's own checks (a silent or blind agent, the audit chain, a spray): no score behind it. */
function managerObserved(alert: AlertView): boolean {
  return alert.kind !== undefined && alert.kind !== 'behaviour';
}

export function reasonLines(alert: AlertView): ReasonLine[] {
  // The manager's own observation (no score behind it): what it noticed, then what followed.
  if (managerObserved(alert)) return alert.reasons.map((text) => ({ text, source: 'manager' }));
  if (!alert.reasonDetails) return alert.reasons.map((text) => ({ text, source: 'event' }));
  const lines: ReasonLine[] = alert.reasonDetails.map((r) => {
    if (r.feature === IDENTITY_FEATURE && alert.identityMismatch !== undefined)
      return { text: r.text, source: r.source, detail: identityDetail(alert.identityMismatch) };
    if (r.source === 'rule')
      return { text: r.text, source: r.source, detail: r.ruleId ? `rule ${r.ruleId}` : undefined };
    if (r.value !== undefined && r.usual !== undefined)
      return { text: r.text, source: r.source, detail: `value ${figure(r.value)} · usual ${figure(r.usual)}` };
    return { text: r.text, source: r.source };
  });
  // A doubt about the user that did not make the agent's reasons (a later score's, or a weak one) is still shown.
  const named = alert.reasonDetails.some((r) => r.feature === IDENTITY_FEATURE);
  if (!named && alert.identityMismatch !== undefined && alert.identityMismatch >= IDENTITY_SHOWN_FROM)
    lines.push({
      text: `a session of this window looked unlike its owner's (${Math.round(100 * alert.identityMismatch)} %)`,
      source: 'context',
      detail: identityDetail(alert.identityMismatch),
    });
  return lines;
}

/** The agent's reason feature for the behavioural identity. */
const IDENTITY_FEATURE = 'identity_mismatch';
/** Below this the doubt is not worth a line of its own. */
const IDENTITY_SHOWN_FROM = 0.5;

function identityDetail(mismatch: number): string {
  return `identity mismatch ${mismatch.toFixed(2)}`;
}

/** "81 / 60" for a scored alert, "81" for one from a single event, "—" for a silent agent (no score). */
export function scoreText(alert: AlertView): string {
  if (managerObserved(alert)) return '—';
  return alert.threshold === undefined
    ? alert.score.toFixed(0)
    : `${alert.score.toFixed(0)} / ${alert.threshold.toFixed(0)}`;
}

/** The scored window in local time, e.g. "01/12 13:05–13:06" or "01/12 00:00 – 02/12 00:00". */
export function windowText(alert: AlertView): string | undefined {
  if (alert.windowStart === undefined || alert.windowEnd === undefined) return undefined;
  const start = new Date(alert.windowStart);
  const end = new Date(alert.windowEnd);
  const day = (d: Date) => `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}`;
  const time = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return day(start) === day(end)
    ? `${day(start)} ${time(start)}–${time(end)}`
    : `${day(start)} ${time(start)} – ${day(end)} ${time(end)}`;
}

const verdictWords: Record<AlertVerdict, string> = {
  true_positive: 'true positive',
  false_positive: 'false positive',
  benign: 'benign',
};

export function verdictText(verdict: AlertVerdict): string {
  return verdictWords[verdict];
}

/** "open", "acknowledged" or "closed · false positive". */
export function statusText(alert: { status: AlertView['status']; verdict?: AlertVerdict | null }): string {
  return alert.status === 'closed' && alert.verdict ? `closed · ${verdictText(alert.verdict)}` : alert.status;
}

/** Who did what, e.g. "acknowledged by ana.lyst · closed by ana.lyst" ('' when nobody triaged it yet). */
export function triageTrail(alert: AlertView): string {
  const parts: string[] = [];
  if (alert.acknowledgedBy) parts.push(`acknowledged by ${alert.acknowledgedBy}`);
  if (alert.closedBy) parts.push(`closed by ${alert.closedBy}`);
  return parts.join(' · ');
}

/** Why an alert is listed as related: "same user, same workstation". */
export function relationText(relations: readonly AlertRelation[]): string {
  const words: Record<AlertRelation, string> = {
    user: 'same user',
    workstation: 'same workstation',
    source: 'same source',
  };
  return relations.map((r) => words[r]).join(', ');
}
