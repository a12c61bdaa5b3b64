import type { ReidentificationDetails } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { approvedQuestion, askOf, clearTextOf } from './approved-question';

const justification = { reason: 'Alert 42: letters copied to USB at night', caseReference: 'INC-42' };
const match: ReidentificationDetails = {
  kind: 'reidentification',
  question: 'match',
  pseudonymKind: 'user',
  token: 'u_0123456789abcdef',
  candidates: 2,
  ...justification,
};

describe('approved re-identification questions', () => {
  it('rebuilds the approved match from the stored details and the candidates, with the approval id', () => {
    const checked = approvedQuestion(match, 'dr.house\nnurse.jones\n', 'req-1');
    expect(checked).toEqual({
      ok: true,
      request: {
        question: 'match',
        request: {
          token: 'u_0123456789abcdef',
          candidates: ['dr.house', 'nurse.jones'],
          ...justification,
          approvalId: 'req-1',
        },
      },
    });
    if (!checked.ok) return;
    expect(clearTextOf(checked.request)).toBe('dr.house\nnurse.jones');
    expect(askOf(checked.request)).toMatchObject({ question: 'match', candidates: ['dr.house', 'nurse.jones'] });
  });

  it('rebuilds a lookup with the kind asked about, and names a missing value', () => {
    const lookup: ReidentificationDetails = { ...match, question: 'lookup', token: null, candidates: null };
    expect(approvedQuestion(lookup, ' nurse.jones ', 'req-2')).toMatchObject({
      ok: true,
      request: { question: 'lookup', request: { kind: 'user', value: 'nurse.jones', approvalId: 'req-2' } },
    });
    const empty = approvedQuestion(lookup, '', 'req-2');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.problems.join(' ')).toMatch(/^Value: /);
  });
});
