// The reports as standalone, printable HTML documents. Every value is escaped: host
// names, user tokens, reasons and command messages come from workstations and are hostile.
// The one stylesheet is inline, allowed by its hash in the response's CSP (no script at all).
import { createHash } from 'node:crypto';
import type { BreachClock, EvidenceItem, HipaaReport, IncidentReport } from '@wardwatch/shared';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;color:#111;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #999}h3{font-size:1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.gap{color:#a00}.ok{color:#060}.meta{color:#555}@media print{body{margin:0}h2{break-after:avoid}}`;

/** The Content-Security-Policy a report page is served with: its stylesheet, nothing else. */
export const REPORT_HTML_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function hipaaReportHtml(report: HipaaReport): string {
  const body = [
    `<h1>HIPAA §164.312 technical safeguards: evidence report</h1>`,
    `<p class="meta">Period ${escapeHtml(iso(report.fromMs))} to ${escapeHtml(iso(report.toMs))}; generated ${escapeHtml(iso(report.generatedAt))}; ${report.gapCount} gap(s) found.</p>`,
    ...report.safeguards.map(
      (s) =>
        `<section><h2>${escapeHtml(s.section)} ${escapeHtml(s.title)}</h2>${s.parts
          .map(
            (p) =>
              `<h3>${escapeHtml(p.title)}</h3><p><strong>What WardWatch does</strong></p>${list(p.does)}` +
              `<p><strong>Evidence</strong></p>${evidenceTable(p.evidence)}<p><strong>Gaps</strong></p>` +
              (p.gaps.length === 0 ? '<p class="ok">None found.</p>' : list(p.gaps, 'gap')),
          )
          .join('')}</section>`,
    ),
  ];
  return page('HIPAA §164.312 evidence report', body.join('\n'));
}

export function incidentReportHtml(report: IncidentReport): string {
  const body = [
    `<h1>Incident report: ${escapeHtml(report.subject)} ${escapeHtml(report.id)}</h1>`,
    `<p>${escapeHtml(report.title)}</p>`,
    `<p class="meta">Generated ${escapeHtml(iso(report.generatedAt))}.</p>`,
    `<h2>Breach-notification clock</h2>${evidenceTable(clockItems(report.clock))}`,
    `<h2>Summary</h2>${evidenceTable(report.summary)}`,
    `<h2>Approvals</h2>${table(
      ['Approval', 'State', 'Requested by', 'Approved by', 'Rejected by'],
      report.approvals.map((a) => [
        a.summary,
        a.state,
        a.requestedBy ?? '',
        a.approvedBy.join(', '),
        a.rejectedBy ?? '',
      ]),
    )}`,
    `<h2>Actions</h2>${table(
      ['Issued', 'Action', 'Workstation', 'State', 'Automatic', 'Result'],
      report.actions.map((c) => [
        iso(c.issuedAt),
        c.action,
        c.agentId,
        c.state,
        c.automatic ? 'yes' : 'no',
        [c.outcome, c.message].filter(Boolean).join(': '),
      ]),
    )}`,
    `<h2>Timeline</h2><p class="meta">${report.evidenceCount} evidence event(s)${report.timelineTruncated ? '; timeline truncated' : ''}.</p>${table(
      ['Time', 'Kind', 'Who', 'What'],
      report.timeline.map((e) => [iso(e.timeMs), e.kind, e.actor, e.text]),
    )}`,
  ];
  return page(`Incident report ${report.id}`, body.join('\n'));
}

/** The clock as label/value lines (HTML and PDF say the same). */
export function clockItems(clock: BreachClock): EvidenceItem[] {
  const state =
    clock.state === 'not_a_breach'
      ? 'stopped: closed as not a breach'
      : clock.state === 'overdue'
        ? `OVERDUE by ${-clock.daysRemaining} day(s)`
        : `${clock.daysRemaining} day(s) remaining`;
  return [
    { label: 'Discovered at', value: `${iso(clock.discoveredAt)} (${clock.discoveredBy.replace('_', ' ')})` },
    { label: 'Acknowledged at', value: clock.acknowledgedAt === null ? 'not yet' : iso(clock.acknowledgedAt) },
    { label: 'Notification deadline (60 days)', value: iso(clock.deadlineAt) },
    { label: 'Clock', value: state },
  ];
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}

function list(items: readonly string[], cls?: string): string {
  const open = cls ? `<ul class="${cls}">` : '<ul>';
  return `${open}${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

function evidenceTable(items: readonly EvidenceItem[]): string {
  return table(
    ['Evidence', 'Value'],
    items.map((i) => [i.label, String(i.value)]),
  );
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '<p class="meta">None.</p>';
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
