import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { EventBus } from './event-bus';
import { EventIngestService } from './event-ingest.service';
import { EventPurgeService } from './event-purge.service';
import { EventQueryService } from './event-query.service';
import { EventRepository } from './event.repository';
import { EventsController } from './events.controller';

/** Incoming events: validation, idempotent batch storage, the single-event alert rule, paging, SSE. */
@Module({
  imports: [AlertsModule],
  controllers: [EventsController],
  providers: [EventRepository, EventBus, EventIngestService, EventQueryService, EventPurgeService],
  exports: [EventIngestService, EventQueryService, EventPurgeService],
})
export class EventsModule {}
