import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AlertService } from '../alerts/alert.service';
import { AuditModule } from '../audit/audit.module';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { DestinationSecrets } from './destination-secrets';
import { FORWARD_KEY, loadOrCreateForwardKey } from './forward-secret-key';
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
    {
      provide: FORWARD_KEY,
      inject: [MANAGER_CONFIG, Clock],
      useFactory: (config: ManagerConfig, clock: Clock) =>
        loadOrCreateForwardKey(config.forwarding.keyFile, clock.now()),
    },
    DestinationSecrets,
    ForwardingRepository,
    ForwardingService,
    ForwardingJob,
    ForwardingMetrics,
    { provide: ForwardSender, useClass: NetworkForwardSender },
    { provide: ALERT_LOOKUP, useExisting: AlertService },
  ],
  exports: [ForwardingJob, ForwardingService],
})
export class ForwardingModule {}
