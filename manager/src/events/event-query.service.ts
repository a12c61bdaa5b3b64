// Reads stored events for the REST API and for re-identification's event counts.
import { Injectable } from '@nestjs/common';
import type { EventPage, EventQuery, EventView } from '@wardwatch/shared';
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

  /** These events of one agent, newest first (an alert's evidence). */
  async byIds(agentId: string, eventIds: string[]): Promise<EventView[]> {
    return (await this.events.findByIds(agentId, eventIds)).map(toEventView);
  }

  /** Who (agent and user) had events of these categories naming one of these pseudonym tokens in the range. */
  pairsWithTokens(categories: string[], tokens: string[], fromMs: number, toMs: number, limit: number) {
    return this.events.pairsWithTokens(categories, tokens, fromMs, toMs, limit);
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
