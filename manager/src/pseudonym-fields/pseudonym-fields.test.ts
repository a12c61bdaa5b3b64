import { Severity, type Event, type Score } from '@wardwatch/proto';
import { eventCategories } from '@wardwatch/shared';
import { eventTokenFields, pathToken, pseudonymOf, pseudonymToken } from '@wardwatch/shared/pseudonyms';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refuseClearEvent, refuseClearScore } from './pseudonym-fields';

const key = Buffer.alloc(32, 4);
const user = pseudonymToken(key, 'user', 'nurse.jones');
const path = pathToken(key, '/srv/records/a.pdf', { folderClass: 'phi', depth: 1, extension: '.pdf' });

const fileEvent = (fields: Partial<Record<'path' | 'owner' | 'extension' | 'process', string>>, who = user): Event => ({
  id: 'e1',
  timeMs: 1,
  sequence: 0,
  severity: Severity.SEVERITY_INFO,
  user: who,
  detail: {
    $case: 'file',
    value: {
      action: 'write',
      path,
      previousPath: '',
      folderClass: 'phi',
      extension: '.pdf',
      depth: 1,
      sizeBytes: 1,
      entropy: -1,
      owner: '',
      process: '',
      pid: 0,
      ...fields,
    },
  },
});

const score = (who: string, texts: string[]): Score => ({
  id: 's1',
  windowStartMs: 0,
  windowEndMs: 1,
  user: who,
  score: 70,
  threshold: 60,
  severity: Severity.SEVERITY_MEDIUM,
  modelSource: 'none',
  baselineSource: 'user',
  reasons: texts.map((text) => ({ text, source: 'rule', feature: '', ruleId: 'r' })),
  ruleIds: [],
  scoredAtMs: 1,
  partial: false,
  suspects: [],
});

describe('refuseClearEvent', () => {
  it('knows the pseudonym fields of every event category', () => {
    expect(Object.keys(eventTokenFields).sort()).toEqual([...eventCategories].sort());
  });

  it('passes tokens, empty fields and the values kept in clear', () => {
    expect(refuseClearEvent(fileEvent({}))).toBeUndefined();
    expect(refuseClearEvent(fileEvent({ owner: 'root', process: '/usr/bin/cp' }, ''))).toBeUndefined();
  });

  it('refuses a clear user name, path or extension, naming the field but never the value', () => {
    const refused = refuseClearEvent(fileEvent({}, 'nurse.jones'));
    expect(refused).toEqual({
      ok: false,
      code: 'clear_value',
      reason: 'user: a clear value where a user token is required',
    });
    expect(refuseClearEvent(fileEvent({ path: '/home/jones/discharge.pdf' }))?.reason).toBe(
      'file.path: a clear value where a path token is required',
    );
    expect(refuseClearEvent(fileEvent({ extension: '.jones' }))?.reason).toMatch(/^file\.extension: /);
    expect(JSON.stringify(refuseClearEvent(fileEvent({ path: '/home/jones/x' })))).not.toContain('jones');
  });

  it('refuses any value that is neither a token of its kind nor kept in clear (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (value) => {
        const kept = pseudonymOf(key, 'user', value) === value;
        expect(refuseClearEvent(fileEvent({}, value)) === undefined).toBe(kept);
        // A token of another kind is refused too.
        expect(refuseClearEvent(fileEvent({}, pseudonymOf(key, 'ip', `10.0.0.${value.length}`)))).toBeDefined();
      }),
    );
  });
});

describe('refuseClearScore', () => {
  it('refuses a clear user, or a reason naming an address or a path; passes the agent’s safe texts', () => {
    expect(refuseClearScore(score(user, ['5 failed logons from ip_0123456789abcdef at 02:10:07']))).toBeUndefined();
    expect(refuseClearScore(score('jones', []))?.reason).toBe('user: a clear value where a user token is required');
    expect(refuseClearScore(score(user, ['ok', 'failed logons from 203.0.113.7']))?.reason).toBe(
      'reasons[1].text: names an address in clear',
    );
    expect(refuseClearScore(score(user, ['copied /home/jones/list.xlsx']))?.reason).toBe(
      'reasons[0].text: names a path in clear',
    );
  });
});
