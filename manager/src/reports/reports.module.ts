// Reports: the HIPAA §164.312 evidence report, incident reports per alert and per
// incident with the breach-notification clock, and the exports of alerts and timelines.
import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AuditVerificationModule } from '../audit-verification/audit-verification.module';
import { AuditVerificationService } from '../audit-verification/audit-verification.service';
import { AuditModule } from '../audit/audit.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { AlertExportService } from './alert-export.service';
import { AuditStatusReader, HipaaReportService } from './hipaa-report.service';
import { IncidentReportService } from './incident-report.service';
import { IncidentTimelineRepository } from './incident-timeline.repository';
import { ReportEvidenceRepository } from './report-evidence.repository';
import { ReportsController } from './reports.controller';

@Module({
  imports: [AuditModule, AlertsModule, IncidentsModule, AuditVerificationModule],
  controllers: [ReportsController],
  providers: [
    ReportEvidenceRepository,
    IncidentTimelineRepository,
    HipaaReportService,
    IncidentReportService,
    AlertExportService,
    { provide: AuditStatusReader, useExisting: AuditVerificationService },
  ],
})
export class ReportsModule {}
