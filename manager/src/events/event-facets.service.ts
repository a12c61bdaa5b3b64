// The values the events page offers in its filters: the actions that exist, read from the
// newest events (bounded work per call) and kept for a short while, since every open
// events page asks and the answer changes slowly.
import { Injectable } from '@nestjs/common';
import { EventCategory, type EventActionFacets } from '@wardwatch/shared';
import { Clock } from '../common/clock';
import { EventRepository } from './event.repository';

export const FACET_SAMPLE = 20_000;
export const FACET_LIMIT = 200;
const FRESH_MS = 30_000;

@Injectable()
export class EventFacetsService {
  private cached: { at: number; facets: Promise<EventActionFacets> } | undefined;

  constructor(
    private readonly events: EventRepository,
    private readonly clock: Clock,
  ) {}

  actions(): Promise<EventActionFacets> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < FRESH_MS) return this.cached.facets;
    const facets = this.read();
    this.cached = { at: now, facets };
    // A failed read is not kept: the next call tries again.
    facets.catch(() => {
      if (this.cached?.facets === facets) this.cached = undefined;
    });
    return facets;
  }

  private async read(): Promise<EventActionFacets> {
    const rows = await this.events.recentActions(FACET_SAMPLE, FACET_LIMIT);
    const items = rows.flatMap((row) => {
      const category = EventCategory.safeParse(row.category);
      return category.success ? [{ category: category.data, action: row.action, count: row.count }] : [];
    });
    return { items, sampled: FACET_SAMPLE };
  }
}
