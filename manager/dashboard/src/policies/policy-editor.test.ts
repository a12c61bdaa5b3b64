import { DEFAULT_POLICY } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { checkDocumentText, documentText, tierSummary } from './policy-editor';

describe('policy editor', () => {
  it('round-trips the default document and summarises each tier', () => {
    const checked = checkDocumentText(documentText(DEFAULT_POLICY));
    expect(checked).toEqual({ ok: true, value: DEFAULT_POLICY });
    expect(tierSummary(DEFAULT_POLICY.tiers[2])).toBe(
      'sealing on (3 folders) · removable blocked · disk encryption required · TLSv1.3+ · idle lock 120 s',
    );
    const baseline = structuredClone(DEFAULT_POLICY.tiers[0]);
    baseline.settings.sealing.unsealOnDrop = true;
    expect(tierSummary(baseline)).toMatch(/^sealing off · unseals on a drop to it · removable allowed/);
  });

  it('names each problem by its path, and says when the text is not JSON', () => {
    const text = documentText(DEFAULT_POLICY).replace('"idleLockSeconds": 900', '"idleLockSeconds": -5');
    expect(checkDocumentText(text)).toEqual({
      ok: false,
      problems: [{ path: 'tiers.0.settings.idleLockSeconds', message: expect.any(String) as unknown }],
    });
    expect(checkDocumentText('{').ok).toBe(false);
    expect(checkDocumentText('[]')).toMatchObject({ ok: false, problems: [{ path: '(policy)' }] });
  });
});
