// The period's alerts as a file (newest first, at most ALERT_EXPORT_MAX_ROWS): who took a
// copy, of which period and how many rows, is audited like an audit-trail export.
import { Injectable } from '@nestjs/common';
import { ALERT_EXPORT_MAX_ROWS, type AlertView, type ExportFormat } from '@wardwatch/shared';
import { toAlertView } from '../alerts/alert.service';
import { AuditService } from '../audit/audit.service';
import { ReportEvidenceRepository, type Period } from './report-evidence.repository';

@Injectable()
export class AlertExportService {
  constructor(
    private readonly evidence: ReportEvidenceRepository,
    private readonly audit: AuditService,
  ) {}

  async alerts(period: Period, actor: string, format: ExportFormat): Promise<AlertView[]> {
    const rows = await this.evidence.alertsBetween(period, ALERT_EXPORT_MAX_ROWS);
    await this.audit.append({
      actor,
      action: 'report.alerts_export',
      target: 'alerts',
      details: { format, fromMs: period.fromMs, toMs: period.toMs, rows: rows.length },
    });
    return rows.map(toAlertView);
  }
}
