import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AlertService } from '../alerts/alert.service';
import { AuditModule } from '../audit/audit.module';
import { ForwardSender, NetworkForwardSender } from './forward-senders';
import { ForwardingMetrics } from './forwarding-metrics';
import { ForwardingController } from './forwarding.controller';
import { ForwardingJob } from './forwarding.job';
import { ForwardingRepository } from './forwarding.repository';
import { ALERT_LOOKUP, ForwardingService } from './forwarding.service';

/** Alerts, response actions and audit entries forwarded to SIEMs (syslog/CEF over TLS, OCSF webhooks). */
@Module({
  imports: [AuditModule, AlertsModule],
  controllers: [ForwardingController],
  providers: [
    ForwardingRepository,
    ForwardingService,
    ForwardingJob,
    ForwardingMetrics,
    { provide: ForwardSender, useClass: NetworkForwardSender },
    { provide: ALERT_LOOKUP, useExisting: AlertService },
  ],
  exports: [ForwardingJob],
})
export class ForwardingModule {}
