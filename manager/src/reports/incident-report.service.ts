// The incident report of one alert or one fleet incident: the facts, the breach-
// notification clock, the approvals with who decided, the commands sent and their
// results, and one timeline (evidence events, scores, triage, comments, playbook
// decisions, approvals, commands) in time order. Built from what the alert's detail,
// the audit trail and the response tables recorded; each report taken is audited.
import { Injectable } from '@nestjs/common';
import {
  MAX_TIMELINE_ENTRIES,
  type AlertDetail,
  type EventView,
  type IncidentDetail,
  type IncidentReport,
  type ReportFormat,
  type TimelineEntry,
} from '@wardwatch/shared';
import { AlertDetailService } from '../alerts/alert-detail.service';
import type { AuditRow } from '../audit/audit-chain';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import type { ApprovalEntity } from '../approvals/approval.entity';
import type { CommandEntity } from '../commands/command.entity';
import { IncidentService } from '../incidents/incident.service';
import { breachClock } from './breach-clock';
import { IncidentTimelineRepository } from './incident-timeline.repository';

/** The timeline's own audit rows are read up to this many per report. */
const AUDIT_ROWS_READ = 500;
/** Comments already come from the alert's detail; the raise is the first line anyway. */
const AUDIT_SHOWN_ELSEWHERE = new Set(['alert.comment']);
const DETAIL_TEXT_MAX = 300;

@Injectable()
export class IncidentReportService {
  constructor(
    private readonly alerts: AlertDetailService,
    private readonly incidents: IncidentService,
    private readonly timeline: IncidentTimelineRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async forAlert(id: string, actor: string, format: ReportFormat | 'csv'): Promise<IncidentReport> {
    const detail = await this.alerts.detail(id);
    const alert = detail.alert;
    const approvals = await this.timeline.approvalsFor(alert.id);
    const decisions = await this.timeline.auditFor([alert.id, ...approvals.map((a) => a.id)], AUDIT_ROWS_READ);
    const commandIds = new Set<string>(approvals.flatMap((a) => a.commandIds));
    for (const row of decisions) {
      const outcome = row.details['outcome'];
      if (row.action === 'playbook.decision' && isRecord(outcome) && typeof outcome['commandId'] === 'string')
        commandIds.add(outcome['commandId']);
    }
    const commands = await this.timeline.commands([...commandIds]);
    const now = this.clock.now();
    const entries = [
      ...evidenceEntries(detail.evidence.events),
      ...scoreEntries(detail),
      ...detail.comments.map((c) => entry(c.createdAt, 'comment', c.author, c.body)),
      ...decisions.filter((row) => !AUDIT_SHOWN_ELSEWHERE.has(row.action)).map(auditEntry),
      ...commands.flatMap(commandEntries),
    ];
    const report: IncidentReport = {
      generatedAt: now,
      subject: 'alert',
      id: alert.id,
      title: alert.title,
      summary: [
        { label: 'Severity', value: alert.severity },
        { label: 'Score', value: alert.score },
        { label: 'Status', value: alert.status },
        { label: 'Verdict', value: alert.verdict ?? 'none' },
        { label: 'Assignee', value: alert.assignee ?? 'none' },
        { label: 'Workstation (agent id)', value: alert.agentId },
        { label: 'User (pseudonym)', value: alert.user ?? 'none' },
        { label: 'Raised at', value: new Date(alert.createdAt).toISOString() },
        { label: 'Reasons', value: alert.reasons.join('; ') || 'none' },
        { label: 'ATT&CK techniques', value: detail.techniques.map((t) => `${t.id} ${t.name}`).join('; ') || 'none' },
      ],
      clock: breachClock({
        discoveredAt: alert.createdAt,
        discoveredBy: 'alert_created',
        acknowledgedAt: alert.acknowledgedAt ?? null,
        verdict: alert.verdict ?? null,
        now,
      }),
      approvals: approvals.map(approvalView),
      actions: commands.map(commandView),
      evidenceCount: Math.max(alert.eventIds.length, detail.evidence.events.length),
      ...bounded(entries),
    };
    await this.audited(actor, 'alert', alert.id, format);
    return report;
  }

  async forIncident(id: string, actor: string, format: ReportFormat | 'csv'): Promise<IncidentReport> {
    const detail: IncidentDetail = await this.incidents.detail(id);
    const incident = detail.incident;
    const rows = await this.timeline.auditFor([incident.id], AUDIT_ROWS_READ);
    const now = this.clock.now();
    const entries = [
      entry(incident.firstSeenMs, 'evidence', 'system', `first activity seen: ${incident.reason}`),
      ...evidenceEntries(detail.events),
      ...rows.map(auditEntry),
      ...(incident.status === 'closed'
        ? [entry(incident.updatedMs, 'triage', 'system', 'closed after a quiet gap')]
        : []),
    ];
    const report: IncidentReport = {
      generatedAt: now,
      subject: 'incident',
      id: incident.id,
      title: incident.reason,
      summary: [
        { label: 'Kind', value: incident.kind },
        { label: 'Subject (pseudonym)', value: incident.subject },
        { label: 'Status', value: incident.status },
        { label: 'First seen', value: new Date(incident.firstSeenMs).toISOString() },
        { label: 'Last seen', value: new Date(incident.lastSeenMs).toISOString() },
        { label: 'Events', value: incident.events },
        { label: 'Failures', value: incident.failures },
        { label: 'Accounts', value: incident.accountCount },
        { label: 'Workstations', value: incident.workstationCount },
      ],
      clock: breachClock({
        discoveredAt: incident.createdMs,
        discoveredBy: 'incident_created',
        acknowledgedAt: null,
        verdict: null,
        now,
      }),
      approvals: [],
      actions: [],
      evidenceCount: incident.evidenceCount,
      ...bounded(entries),
    };
    await this.audited(actor, 'incident', incident.id, format);
    return report;
  }

  private async audited(actor: string, subject: string, id: string, format: string): Promise<void> {
    await this.audit.append({ actor, action: 'report.incident', target: id, details: { subject, format } });
  }
}

function entry(timeMs: number, kind: TimelineEntry['kind'], actor: string, text: string): TimelineEntry {
  return { timeMs, kind, actor, text };
}

function bounded(entries: TimelineEntry[]): Pick<IncidentReport, 'timeline' | 'timelineTruncated'> {
  const sorted = entries.sort((a, b) => a.timeMs - b.timeMs);
  return { timeline: sorted.slice(0, MAX_TIMELINE_ENTRIES), timelineTruncated: sorted.length > MAX_TIMELINE_ENTRIES };
}

function evidenceEntries(events: readonly EventView[]): TimelineEntry[] {
  return events.map((e) =>
    entry(e.timeMs, 'evidence', `agent:${e.agentId}`, `${e.category} ${e.action} by ${e.user} on ${e.hostname}`),
  );
}

function scoreEntries(detail: AlertDetail): TimelineEntry[] {
  return detail.scoreHistory.map((s) =>
    entry(
      s.windowEnd,
      'score',
      `agent:${detail.alert.agentId}`,
      `risk score ${s.score} (threshold ${s.threshold})${s.thisAlert ? ', raised this alert' : ''}`,
    ),
  );
}

function auditEntry(row: AuditRow): TimelineEntry {
  const kind: TimelineEntry['kind'] = row.action.startsWith('playbook.')
    ? 'playbook'
    : row.action.startsWith('approval.')
      ? 'approval'
      : row.action.startsWith('alert.')
        ? 'triage'
        : 'audit';
  return entry(row.timeMs, kind, row.actor, describe(row));
}

/** The action and its scalar details, one line, bounded. */
function describe(row: AuditRow): string {
  const parts = Object.entries(row.details)
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => `${key}=${String(value)}`);
  const outcome = row.details['outcome'];
  if (isRecord(outcome) && typeof outcome['kind'] === 'string') parts.push(`outcome=${outcome['kind']}`);
  const text = parts.length > 0 ? `${row.action}: ${parts.join(', ')}` : row.action;
  return text.length > DETAIL_TEXT_MAX ? `${text.slice(0, DETAIL_TEXT_MAX - 1)}…` : text;
}

function commandEntries(c: CommandEntity): TimelineEntry[] {
  const by = c.decision.actorId ? `user:${c.decision.actorId}` : `system:${c.decision.source}`;
  const issued = entry(
    c.issuedAt,
    'command',
    by,
    `${c.actionKind} issued to ${c.agentId}${c.automatic ? ' (automatic)' : ''}${c.dryRun ? ' (dry run)' : ''}`,
  );
  if (c.finishedAt === null) return [issued];
  const result = `${c.actionKind} ${c.state}${c.resultMessage ? `: ${c.resultMessage}` : ''}`;
  return [issued, entry(c.finishedAt, 'command', `agent:${c.agentId}`, result.slice(0, DETAIL_TEXT_MAX))];
}

function approvalView(a: ApprovalEntity): IncidentReport['approvals'][number] {
  return {
    id: a.id,
    summary: a.summary,
    state: a.state,
    requestedBy: a.requestedBy,
    approvedBy: a.approvals.map((d) => d.by),
    rejectedBy: a.rejection?.by ?? null,
  };
}

function commandView(c: CommandEntity): IncidentReport['actions'][number] {
  return {
    id: c.id,
    action: c.actionKind,
    agentId: c.agentId,
    state: c.state,
    automatic: c.automatic,
    issuedAt: c.issuedAt,
    outcome: c.resultOutcome,
    message: c.resultMessage,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
