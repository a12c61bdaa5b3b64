// The reports as PDF (pdfkit), from the same data as the HTML. Values from workstations
// are only ever text runs here (nothing is interpreted), reduced to the characters the
// built-in Helvetica can draw so that a hostile string cannot break the layout.
import PDFDocument from 'pdfkit';
import type { EvidenceItem, HipaaReport, IncidentReport } from '@wardwatch/shared';
import { clockItems, iso } from './report-html';

export interface PdfOptions {
  /** Deflate the page streams (default); tests read them uncompressed. */
  compress?: boolean;
}

/** Longest text run drawn from one value. */
const MAX_TEXT = 2_000;

export function hipaaReportPdf(report: HipaaReport, options: PdfOptions = {}): Promise<Buffer> {
  return render(options, 'HIPAA 164.312 evidence report', (doc) => {
    heading(doc, 'HIPAA §164.312 technical safeguards: evidence report', 18);
    meta(
      doc,
      `Period ${iso(report.fromMs)} to ${iso(report.toMs)}; generated ${iso(report.generatedAt)}; ${report.gapCount} gap(s) found.`,
    );
    for (const safeguard of report.safeguards) {
      heading(doc, `${safeguard.section} ${safeguard.title}`, 14);
      for (const part of safeguard.parts) {
        heading(doc, part.title, 11);
        label(doc, 'What WardWatch does');
        for (const line of part.does) bullet(doc, line);
        label(doc, 'Evidence');
        items(doc, part.evidence);
        label(doc, 'Gaps');
        if (part.gaps.length === 0) bullet(doc, 'None found.');
        for (const gap of part.gaps) bullet(doc, gap, '#aa0000');
      }
    }
  });
}

export function incidentReportPdf(report: IncidentReport, options: PdfOptions = {}): Promise<Buffer> {
  return render(options, `Incident report ${report.id}`, (doc) => {
    heading(doc, `Incident report: ${report.subject} ${report.id}`, 16);
    text(doc, report.title);
    meta(doc, `Generated ${iso(report.generatedAt)}.`);
    heading(doc, 'Breach-notification clock', 13);
    items(doc, clockItems(report.clock));
    heading(doc, 'Summary', 13);
    items(doc, report.summary);
    heading(doc, 'Approvals', 13);
    if (report.approvals.length === 0) bullet(doc, 'None.');
    for (const a of report.approvals)
      bullet(
        doc,
        `${a.summary} [${a.state}] requested by ${a.requestedBy ?? 'playbook'}; approved by ${a.approvedBy.join(', ') || 'nobody'}${a.rejectedBy ? `; rejected by ${a.rejectedBy}` : ''}`,
      );
    heading(doc, 'Actions', 13);
    if (report.actions.length === 0) bullet(doc, 'None.');
    for (const c of report.actions)
      bullet(
        doc,
        `${iso(c.issuedAt)} ${c.action} to ${c.agentId} [${c.state}]${c.automatic ? ' automatic' : ''}${c.outcome ? `: ${c.outcome}` : ''}${c.message ? ` ${c.message}` : ''}`,
      );
    heading(doc, 'Timeline', 13);
    meta(doc, `${report.evidenceCount} evidence event(s)${report.timelineTruncated ? '; timeline truncated' : ''}.`);
    for (const e of report.timeline) bullet(doc, `${iso(e.timeMs)} [${e.kind}] ${e.actor}: ${e.text}`);
  });
}

type Doc = PDFKit.PDFDocument;

function render(options: PdfOptions, title: string, draw: (doc: Doc) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      compress: options.compress ?? true,
      info: { Title: safe(title), Creator: 'WardWatch' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      draw(doc);
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** Printable Latin-1 only (what the standard fonts encode); anything else becomes "?". */
export function safe(value: unknown): string {
  const text = String(value).slice(0, MAX_TEXT);
  return text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

function heading(doc: Doc, value: string, size: number): void {
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor('#000000').text(safe(value));
  doc.moveDown(0.2);
}

function label(doc: Doc, value: string): void {
  doc.font('Helvetica-Bold').fontSize(9).fillColor('#000000').text(safe(value));
}

function text(doc: Doc, value: string): void {
  doc.font('Helvetica').fontSize(10).fillColor('#000000').text(safe(value));
}

function meta(doc: Doc, value: string): void {
  doc.font('Helvetica').fontSize(9).fillColor('#555555').text(safe(value));
}

function bullet(doc: Doc, value: string, color = '#000000'): void {
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(color)
    .text(`- ${safe(value)}`, { indent: 10 });
}

function items(doc: Doc, list: readonly EvidenceItem[]): void {
  for (const item of list) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor('#000000')
      .text(`${safe(item.label)}: ${safe(item.value)}`, { indent: 10 });
  }
}
