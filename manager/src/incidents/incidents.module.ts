import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { EventBus } from '../events/event-bus';
import { EventsModule } from '../events/events.module';
import { IncidentFlushJob } from './incident-flush.job';
import { IncidentTracker } from './incident-tracker';
import { IncidentRepository } from './incident.repository';
import { IncidentService } from './incident.service';
import { IncidentsController } from './incidents.controller';

/** Fleet-wide incidents: failed logons by source, accounts across workstations. */
@Module({
  imports: [EventsModule, AuditModule],
  controllers: [IncidentsController],
  providers: [
    IncidentRepository,
    IncidentService,
    IncidentFlushJob,
    {
      provide: IncidentTracker,
      inject: [MANAGER_CONFIG],
      useFactory: (config: ManagerConfig) => new IncidentTracker(config.incidents.limits),
    },
  ],
  exports: [IncidentFlushJob, IncidentService],
})
export class IncidentsModule implements OnModuleInit {
  constructor(
    @Inject(EventBus) private readonly bus: EventBus,
    private readonly incidents: IncidentService,
  ) {}

  /** The one hook on ingest: each committed batch is counted in memory. */
  onModuleInit(): void {
    this.bus.onCommitted((events) => this.incidents.observe(events));
  }
}
