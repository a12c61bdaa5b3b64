import { EventQuery } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { InMemoryEventRepository } from '../testing/fakes/alert.repository.fake';
import { fake } from '../testing/fakes/fakes';
import { EventQueryService } from './event-query.service';

function sut() {
  const events = new InMemoryEventRepository();
  events.rows = Array.from({ length: 7 }, (_, i) => ({
    agentId: 'agent-a',
    eventId: `e${i}`,
    sequence: i + 1,
    hostname: 'ward3',
    timeMs: 1_000 + i,
    receivedMs: 2_000,
    severity: 1,
    user: i < 2 ? 'u_x' : 'u_y',
    category: 'login',
    action: 'logon',
    detail: {},
  }));
  return { service: new EventQueryService(fake(events)) };
}

describe('EventQueryService', () => {
  it('pages newest first without gaps or repeats', async () => {
    const { service } = sut();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await service.page(EventQuery.parse({ limit: 3, ...(cursor ? { cursor } : {}) }));
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['e6', 'e5', 'e4', 'e3', 'e2', 'e1', 'e0']);
  });

  it('refuses a malformed cursor', async () => {
    await expect(sut().service.page(EventQuery.parse({ cursor: 'W10' }))).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });

  it("counts a user's events", async () => {
    expect(await sut().service.countForUser('u_x')).toBe(2);
  });
});
