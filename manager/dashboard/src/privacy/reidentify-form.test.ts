import { describe, expect, it } from 'vitest';
import { candidatesFromText, checkLookupForm, checkMatchForm } from './reidentify-form';

const justification = { reason: 'Alert 42: letters copied to USB at night', caseReference: 'INC-42' };

describe('re-identification forms', () => {
  it('reads candidates one per line, without blanks or repeats', () => {
    expect(candidatesFromText(' nurse.jones \r\n\n dr.house\nnurse.jones\n')).toEqual(['nurse.jones', 'dr.house']);
  });

  it('builds a request the manager accepts, or names each problem in words', () => {
    const ok = checkMatchForm({ token: ' u_0123456789abcdef ', candidates: 'a\nb', ...justification });
    expect(ok).toEqual({
      ok: true,
      request: { token: 'u_0123456789abcdef', candidates: ['a', 'b'], ...justification },
    });
    const bad = checkMatchForm({ token: 'jones', candidates: '\n', reason: 'why', caseReference: '' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Pseudonym: not a WardWatch pseudonym/),
        expect.stringMatching(/^Candidates: /),
        expect.stringMatching(/^Reason: give a reason/),
        expect.stringMatching(/^Case reference: /),
      ]),
    );
    const many = checkMatchForm({
      token: 'u_0123456789abcdef',
      candidates: Array.from({ length: 51 }, (_, i) => `c${i}`).join('\n'),
      ...justification,
    });
    expect(many).toEqual({ ok: false, problems: ['Candidates: at most 50 per request, 51 given'] });
  });

  it('checks the lookup form against the same schema', () => {
    expect(checkLookupForm({ kind: 'user', value: 'nurse.jones', ...justification }).ok).toBe(true);
    expect(checkLookupForm({ kind: 'patient', value: '', ...justification })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^Kind: /), expect.stringMatching(/^Value: /)],
    });
  });
});
