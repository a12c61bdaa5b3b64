// Reads stored events for the REST API and for re-identification's event counts.
import { Injectable } from '@nestjs/common';
import type { EventPage, EventQuery } from '@wardwatch/shared';
import { z } from 'zod';
import { pageCursor, toPage } from '../common/page-cursor';
import { toEventView } from './event-view.mapper';
import { EventRepository } from './event.repository';

const cursor = pageCursor(z.tuple([z.number().int(), z.string(), z.string()]));

@Injectable()
export class EventQueryService {
  constructor(private readonly events: EventRepository) {}

  /** Newest first; `nextCursor` is the time, agent and id of the last event of the page. */
  async page(query: EventQuery): Promise<EventPage> {
    const { limit, cursor: after, ...filter } = query;
    const rows = await this.events.page(filter, limit, after === undefined ? undefined : cursor.decode(after));
    return toPage(rows, limit, toEventView, (e) => cursor.encode([e.timeMs, e.agentId, e.eventId]));
  }

  /** How many stored events name this user pseudonym. */
  countForUser(user: string): Promise<number> {
    return this.events.countForUser(user);
  }

  /** How many events this agent has stored (its storage quota). */
  countForAgent(agentId: string): Promise<number> {
    return this.events.countForAgent(agentId);
  }
}
