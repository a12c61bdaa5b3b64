import { describe, expect, it } from 'vitest';
import type { EventView } from '@wardwatch/shared';
import { emptyFilter, filterToQuery, matchesFilter, parseFilterForm } from './event-filter';

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
      { category: 'file', action: 'rename', user: 'a&b=c', agentId: 'ag 1', minSeverity: 'high' },
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
