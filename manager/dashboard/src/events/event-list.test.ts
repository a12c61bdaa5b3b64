import { describe, expect, it } from 'vitest';
import type { EventView } from '@wardwatch/shared';
import { appendOlder, mergeLive } from './event-list';

const ev = (id: string, timeMs: number): EventView => ({
  id,
  agentId: 'a1',
  hostname: 'h',
  timeMs,
  receivedMs: timeMs,
  severity: 'info',
  user: 'u',
  category: 'file',
  action: 'create',
  detail: {},
});
const ids = (events: readonly EventView[]) => events.map((event) => event.id);

describe('mergeLive', () => {
  it('puts new events on top, newest first', () => {
    const result = mergeLive([ev('b', 20), ev('a', 10)], [ev('c', 30), ev('d', 40)]);
    expect(ids(result.events)).toEqual(['d', 'c', 'b', 'a']);
    expect(result.dropped).toBe(0);
  });

  it('skips events already in the list and duplicates within the batch', () => {
    const result = mergeLive([ev('b', 20), ev('a', 10)], [ev('b', 20), ev('c', 30), ev('c', 30)]);
    expect(ids(result.events)).toEqual(['c', 'b', 'a']);
  });

  it('places a late, older event by its time', () => {
    const result = mergeLive([ev('c', 30), ev('a', 10)], [ev('b', 20)]);
    expect(ids(result.events)).toEqual(['c', 'b', 'a']);
  });

  it('keeps at most the bound, dropping the oldest, and says how many', () => {
    const existing = [ev('c', 30), ev('b', 20), ev('a', 10)];
    const result = mergeLive(existing, [ev('d', 40), ev('e', 50)], 3);
    expect(ids(result.events)).toEqual(['e', 'd', 'c']);
    expect(result.dropped).toBe(2);
  });

  it('does not change the input list', () => {
    const existing = [ev('a', 10)];
    mergeLive(existing, [ev('b', 20)]);
    expect(ids(existing)).toEqual(['a']);
  });
});

describe('appendOlder', () => {
  it('appends rows below, skipping ones already shown', () => {
    expect(ids(appendOlder([ev('c', 30), ev('b', 20)], [ev('b', 20), ev('a', 10)]))).toEqual(['c', 'b', 'a']);
  });
});
