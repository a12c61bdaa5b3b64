import { describe, expect, it } from 'vitest';
import type { EventView } from '@wardwatch/shared';
import {
  emptyFilter,
  filterToQuery,
  lastPeriod,
  localInputToMs,
  matchesFilter,
  msToLocalInput,
  parseFilterForm,
} from './event-filter';

const event: EventView = {
  id: 'e1',
  agentId: 'a1',
  hostname: 'ward-3-pc',
  timeMs: 1_000,
  receivedMs: 1_010,
  severity: 'medium',
  user: 'nurse.jo',
  category: 'login',
  action: 'login_failed',
  detail: {},
};

describe('filterToQuery', () => {
  it('leaves out blank fields and trims the rest', () => {
    expect(filterToQuery(emptyFilter)).toBe('');
    expect(filterToQuery({ ...emptyFilter, action: '  ', user: ' nurse.jo ' })).toBe('user=nurse.jo');
  });

  it('encodes every field, the limit and the cursor', () => {
    const query = filterToQuery(
      { ...emptyFilter, category: 'file', action: 'rename', user: 'a&b=c', agentId: 'ag 1', minSeverity: 'high' },
      { limit: 100, cursor: 'abc/+=' },
    );
    const params = new URLSearchParams(query);
    expect(Object.fromEntries(params)).toEqual({
      category: 'file',
      action: 'rename',
      user: 'a&b=c',
      agentId: 'ag 1',
      minSeverity: 'high',
      limit: '100',
      cursor: 'abc/+=',
    });
    expect(query).not.toContain('a&b=c');
  });
});

describe('matchesFilter', () => {
  it('matches everything with an empty filter', () => {
    expect(matchesFilter(event, emptyFilter)).toBe(true);
  });

  it('requires each set field to match exactly', () => {
    expect(matchesFilter(event, { ...emptyFilter, category: 'login', user: 'nurse.jo', agentId: 'a1' })).toBe(true);
    expect(matchesFilter(event, { ...emptyFilter, category: 'file' })).toBe(false);
    expect(matchesFilter(event, { ...emptyFilter, action: 'login' })).toBe(false);
    expect(matchesFilter(event, { ...emptyFilter, user: 'other' })).toBe(false);
    expect(matchesFilter(event, { ...emptyFilter, agentId: 'a2' })).toBe(false);
  });

  it('compares severity by rank', () => {
    expect(matchesFilter(event, { ...emptyFilter, minSeverity: 'low' })).toBe(true);
    expect(matchesFilter(event, { ...emptyFilter, minSeverity: 'medium' })).toBe(true);
    expect(matchesFilter(event, { ...emptyFilter, minSeverity: 'high' })).toBe(false);
  });
});

describe('parseFilterForm', () => {
  it('drops values outside the schema choices', () => {
    const form = new FormData();
    form.set('category', '<img src=x>');
    form.set('minSeverity', 'critical');
    form.set('user', 'nurse.jo');
    expect(parseFilterForm(form)).toEqual({ ...emptyFilter, minSeverity: 'critical', user: 'nurse.jo' });
  });
});

describe('time range', () => {
  const from = '2026-12-02T08:30';
  const fromMs = new Date(2026, 11, 2, 8, 30).getTime();

  it('turns datetime-local values into an inclusive range of epoch ms', () => {
    expect(localInputToMs(from)).toBe(fromMs);
    expect(localInputToMs('')).toBeUndefined();
    expect(localInputToMs('2026-13-45T99:99')).toBeUndefined();
    expect(localInputToMs('yesterday')).toBeUndefined();
    expect(msToLocalInput(fromMs)).toBe(from);
    const params = new URLSearchParams(filterToQuery({ ...emptyFilter, from, to: from }));
    expect(params.get('fromMs')).toBe(String(fromMs));
    expect(params.get('toMs')).toBe(String(fromMs + 59_999));
  });

  it('keeps live events to the range, the end minute included', () => {
    const filter = { ...emptyFilter, from, to: from };
    expect(matchesFilter({ ...event, timeMs: fromMs - 1 }, filter)).toBe(false);
    expect(matchesFilter({ ...event, timeMs: fromMs + 59_999 }, filter)).toBe(true);
    expect(matchesFilter({ ...event, timeMs: fromMs + 60_000 }, filter)).toBe(false);
  });

  it('sets a quick range that starts a period ago and stays open', () => {
    const next = lastPeriod({ ...emptyFilter, category: 'file', to: from }, 3_600_000, fromMs + 3_600_000);
    expect(next).toMatchObject({ category: 'file', from, to: '' });
  });

  it('drops a malformed range from the form', () => {
    const form = new FormData();
    form.set('from', 'x');
    form.set('to', from);
    expect(parseFilterForm(form)).toMatchObject({ from: '', to: from });
  });
});
