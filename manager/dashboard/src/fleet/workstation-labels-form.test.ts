import { MAX_WORKSTATION_TAGS } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { checkLabels, labelsText, problemsOf } from './workstation-labels-form';

describe('workstation labels form', () => {
  it('starts from the agent’s tags and unit', () => {
    expect(labelsText({ tags: ['shared-clinical', 'icu'], unit: 'Ward 3' })).toEqual({
      tags: 'shared-clinical, icu',
      unit: 'Ward 3',
    });
    expect(labelsText({})).toEqual({ tags: '', unit: '' });
  });

  it('splits tags on commas and spaces and clears an empty unit', () => {
    expect(checkLabels({ tags: ' icu,pharmacy  shared-clinical, ', unit: '  ' })).toEqual({
      ok: true,
      request: { tags: ['icu', 'pharmacy', 'shared-clinical'], unit: null },
    });
    expect(checkLabels({ tags: '', unit: ' Ward 3 ' })).toEqual({ ok: true, request: { tags: [], unit: 'Ward 3' } });
  });

  it('names the tag the shared schema refuses, by field', () => {
    const checked = checkLabels({ tags: 'icu, ICU, <b>', unit: 'x'.repeat(65) });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(problemsOf(checked.problems, 'tags')).toBe(
      "tag 'ICU': use 1–32 lower-case letters, digits or dashes; tag '<b>': use 1–32 lower-case letters, digits or dashes",
    );
    expect(problemsOf(checked.problems, 'unit')).toMatch(/64/);
    expect(problemsOf(checked.problems, 'form')).toBe('');
  });

  it('refuses repeated tags and more than the schema allows', () => {
    const repeated = checkLabels({ tags: 'icu icu', unit: '' });
    expect(repeated.ok ? '' : problemsOf(repeated.problems, 'tags')).toBe('tags must not repeat');
    const many = Array.from({ length: MAX_WORKSTATION_TAGS + 1 }, (_, i) => `t${i}`).join(',');
    const tooMany = checkLabels({ tags: many, unit: '' });
    expect(tooMany.ok ? '' : problemsOf(tooMany.problems, 'tags')).toMatch(/16/);
  });
});
