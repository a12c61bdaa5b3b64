import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AlertExportQuery,
  HipaaReportQuery,
  IncidentId,
  IncidentReportQuery,
  TimelineExportQuery,
} from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  AlertExportQuery as ExportQuery,
  HipaaReport,
  HipaaReportQuery as HipaaQuery,
  IncidentReportQuery as ReportQuery,
  ReportFormat,
  TimelineExportQuery as TimelineQuery,
} from '@wardwatch/shared';
import type { ServerResponse } from 'node:http';
import { AlertId } from '../alerts/alert.schemas';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { alertsCsv, timelineCsv } from './report-export';
import { AlertExportService } from './alert-export.service';
import { HipaaReportService } from './hipaa-report.service';
import { hipaaReportHtml, incidentReportHtml, REPORT_HTML_CSP } from './report-html';
import { hipaaReportPdf, incidentReportPdf } from './report-pdf';
import { IncidentReportService } from './incident-report.service';

type Body = string | StreamableFile | object;

/**
 * Reports are read by `reports:read` (admin, analyst, privacy officer): the evidence and
 * incident reports name accounts, workstations and pseudonyms, like the pages they come
 * from. Every report and export taken is audited by the service that builds it.
 */
@ApiTags('reports')
@ApiCookieAuth()
@RequirePermission('reports:read')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(
    private readonly hipaa: HipaaReportService,
    private readonly incidents: IncidentReportService,
    private readonly exports: AlertExportService,
  ) {}

  /** The HIPAA §164.312 evidence report for a period (the last 30 days by default), as JSON, HTML or PDF. */
  @Get('hipaa')
  @ApiOkResponse({ schema: ref('HipaaReport') })
  async hipaaReport(
    @Query(new ZodPipe(HipaaReportQuery)) query: HipaaQuery,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<Body> {
    const report: HipaaReport = await this.hipaa.report(this.hipaa.period(query), actor(req), query.format);
    return answer(res, query.format, report, `wardwatch-hipaa-${day(report.toMs)}`, hipaaReportHtml, hipaaReportPdf);
  }

  /** The period's alerts as CSV or JSON, newest first, capped. Declared before `alerts/:id`. */
  @Get('alerts/export')
  @ApiOkResponse({ description: 'A CSV or JSON file.' })
  async exportAlerts(
    @Query(new ZodPipe(AlertExportQuery)) query: ExportQuery,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<Body> {
    const period = this.hipaa.period(query);
    const alerts = await this.exports.alerts(period, actor(req), query.format);
    attachment(res, query.format, `wardwatch-alerts-${day(period.fromMs)}-${day(period.toMs)}`);
    return query.format === 'csv' ? alertsCsv(alerts) : { items: alerts };
  }

  /** One alert's incident report with its breach-notification clock. */
  @Get('alerts/:id')
  @ApiOkResponse({ schema: ref('IncidentReport') })
  async alertReport(
    @Param('id', new ZodPipe(AlertId)) id: string,
    @Query(new ZodPipe(IncidentReportQuery)) query: ReportQuery,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<Body> {
    const report = await this.incidents.forAlert(id, actor(req), query.format);
    return answer(res, query.format, report, `wardwatch-alert-${safeName(id)}`, incidentReportHtml, incidentReportPdf);
  }

  @Get('alerts/:id/timeline')
  @ApiOkResponse({ description: 'A CSV or JSON file.' })
  async alertTimeline(
    @Param('id', new ZodPipe(AlertId)) id: string,
    @Query(new ZodPipe(TimelineExportQuery)) query: TimelineQuery,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<Body> {
    const report = await this.incidents.forAlert(id, actor(req), query.format);
    attachment(res, query.format, `wardwatch-alert-${safeName(id)}-timeline`);
    return query.format === 'csv' ? timelineCsv(report) : { id: report.id, timeline: report.timeline };
  }

  /** One fleet incident's report with its breach-notification clock. */
  @Get('incidents/:id')
  @ApiOkResponse({ schema: ref('IncidentReport') })
  async incidentReport(
    @Param('id', new ZodPipe(IncidentId)) id: string,
    @Query(new ZodPipe(IncidentReportQuery)) query: ReportQuery,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<Body> {
    const report = await this.incidents.forIncident(id, actor(req), query.format);
    return answer(res, query.format, report, `wardwatch-incident-${id}`, incidentReportHtml, incidentReportPdf);
  }

  @Get('incidents/:id/timeline')
  @ApiOkResponse({ description: 'A CSV or JSON file.' })
  async incidentTimeline(
    @Param('id', new ZodPipe(IncidentId)) id: string,
    @Query(new ZodPipe(TimelineExportQuery)) query: TimelineQuery,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<Body> {
    const report = await this.incidents.forIncident(id, actor(req), query.format);
    attachment(res, query.format, `wardwatch-incident-${id}-timeline`);
    return query.format === 'csv' ? timelineCsv(report) : { id: report.id, timeline: report.timeline };
  }
}

function actor(req: AuthedRequest): string {
  return req.user?.username ?? 'unknown';
}

/** JSON as is; HTML inline under its own CSP (printable in a tab); PDF as a download. */
async function answer<T extends object>(
  res: ServerResponse,
  format: ReportFormat,
  report: T,
  name: string,
  html: (report: T) => string,
  pdf: (report: T) => Promise<Buffer>,
): Promise<Body> {
  if (format === 'json') return report;
  if (format === 'html') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', REPORT_HTML_CSP);
    res.setHeader('Content-Disposition', `inline; filename="${name}.html"`);
    return html(report);
  }
  // A file, not a string: no charset, no text conversion of the bytes.
  return new StreamableFile(await pdf(report), {
    type: 'application/pdf',
    disposition: `attachment; filename="${name}.pdf"`,
  });
}

function attachment(res: ServerResponse, format: 'csv' | 'json', name: string): void {
  res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Alert ids are ours, but a file name takes only what cannot break the header. */
function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}
