// Which of an agent's parts, failed, leave patient data unwatched, and the words of
// a blind alert. The agent's messages are its own (hostile) text: kept as text,
// cut, never markup; times are the manager's, in UTC like the silence alerts.
import type { ComponentReport } from '../agents/agent-health.schema';
import { durationWords, utcTime } from '../common/time-words';

/**
 * The audit of patient data: auditd and the kernel audit (`collector.audit`), the file watch of
 * the patient-data folders (`collector.files`), and the reads (`collector.reads`, its rules
 * `collector.reads.rule`: removed while the agent ran is failed). Not a running-short of OS
 * watches (`collector.files.watches`): a capacity matter the agent page shows.
 */
export const AUDIT_PARTS: readonly string[] = [
  'collector.audit',
  'collector.files',
  'collector.reads',
  'collector.reads.rule',
];

export function failedAuditParts(components: readonly ComponentReport[] | null | undefined): ComponentReport[] {
  return (components ?? []).filter((c) => c.state === 'failed' && AUDIT_PARTS.includes(c.name));
}

export function blindReason(part: ComponentReport): string {
  return `${part.name} failed: ${part.message || 'no reason given'}`;
}

/** The parts an alert's reasons name (its own words, blindReason's). */
export function partsNamedIn(reasons: readonly string[]): string[] {
  return AUDIT_PARTS.filter((part) => reasons.some((reason) => reason.startsWith(`${part} failed: `)));
}

/**
 * Whether the parts that failed work again: each running, not merely no longer failed. An agent
 * restarted after its read rules were removed says `stopped` (it never saw them), and an agent
 * whose audit log went unreadable names no `collector.audit` at all: neither is seeing again.
 */
export function workingAgain(
  components: readonly ComponentReport[] | null | undefined,
  parts: readonly string[],
): boolean {
  if (parts.length === 0) return failedAuditParts(components).length === 0;
  return parts.every((part) => (components ?? []).some((c) => c.name === part && c.state === 'running'));
}

export function seeingAgainNote(hostname: string, since: number, at: number, now: number): string {
  return `${hostname} said its audit of patient data works again at ${utcTime(at, now)}, after ${durationWords(at - since)}`;
}

export function revokedWhileBlindNote(hostname: string, now: number): string {
  return `${hostname} was revoked while its audit had failed (${utcTime(now, now)}); it is no longer watched`;
}
