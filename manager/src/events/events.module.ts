import { Module } from '@nestjs/common';
import { EventBus } from './event-bus';
import { EventIngestService } from './event-ingest.service';
import { EventPurgeService } from './event-purge.service';
import { EventFacetsService } from './event-facets.service';
import { EventQueryService } from './event-query.service';
import { EventRepository } from './event.repository';
import { EventsController } from './events.controller';

/** Incoming events: validation, idempotent batch storage, paging, SSE. */
@Module({
  controllers: [EventsController],
  providers: [EventRepository, EventBus, EventIngestService, EventQueryService, EventFacetsService, EventPurgeService],
  exports: [EventBus, EventIngestService, EventQueryService, EventPurgeService],
})
export class EventsModule {}
