import { Controller, Get, Query, Sse, type MessageEvent } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { EventQuery, type EventActionFacets, type EventPage } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type { EventQuery as EventFilter } from '@wardwatch/shared';
import { map, type Observable } from 'rxjs';
import { ref } from '../http/openapi';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { EventBus } from './event-bus';
import { EventFacetsService } from './event-facets.service';
import { EventQueryService } from './event-query.service';

@ApiTags('events')
@ApiCookieAuth()
@RequirePermission('events:read')
@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly events: EventQueryService,
    private readonly bus: EventBus,
    private readonly facets: EventFacetsService,
  ) {}

  /** Newest first; pass `nextCursor` back as `cursor` for the next page. */
  @Get()
  @ApiOkResponse({ schema: ref('EventPage') })
  list(@Query(new ZodPipe(EventQuery)) query: EventFilter): Promise<EventPage> {
    return this.events.page(query);
  }

  /** The actions that exist (among the newest events), for the events page's filter. */
  @Get('actions')
  @ApiOkResponse({ schema: ref('EventActionFacets') })
  actions(): Promise<EventActionFacets> {
    return this.facets.actions();
  }

  /** Server-Sent Events: `event: event`, data = one EventView as JSON, for each event stored from now on. */
  @Sse('stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'A stream of `event` messages whose data is an EventView.' })
  stream(): Observable<MessageEvent> {
    return this.bus.stream().pipe(map((event) => ({ type: 'event', data: event })));
  }
}
