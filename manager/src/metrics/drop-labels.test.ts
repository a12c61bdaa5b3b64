import fc from 'fast-check';
import { DROP_REASONS } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { dropCount, dropLabels, MAX_DROPS_PER_REPORT } from './drop-labels';

describe('dropLabels', () => {
  it('keeps the names the agent uses', () => {
    expect(dropLabels('rate_limit.low.file')).toEqual({ reason: 'rate_limit', class: 'low', category: 'file' });
    expect(dropLabels('queue_full.high.login')).toEqual({ reason: 'queue_full', class: 'high', category: 'login' });
    expect(dropLabels('over_limit.normal.file')).toEqual({ reason: 'over_limit', class: 'normal', category: 'file' });
    expect(dropLabels('tampered.unknown.unknown')).toEqual({
      reason: 'tampered',
      class: 'unknown',
      category: 'unknown',
    });
  });

  it('turns anything else into other, part by part', () => {
    expect(dropLabels('rate_limit.urgent.file')).toEqual({ reason: 'rate_limit', class: 'other', category: 'file' });
    expect(dropLabels('<script>')).toEqual({ reason: 'other', class: 'other', category: 'other' });
    expect(dropLabels('rate_limit.low.file.extra')).toEqual({ reason: 'other', class: 'other', category: 'other' });
  });

  it('never yields more than a fixed set of label values, whatever the key', () => {
    const allowed = new Set([
      ...DROP_REASONS,
      'low',
      'normal',
      'high',
      'file',
      'login',
      'process',
      'device',
      'network',
      'unknown',
      'other',
    ]);
    fc.assert(
      fc.property(fc.string(), (key) => {
        const labels = dropLabels(key);
        return [labels.reason, labels.class, labels.category].every((value) => allowed.has(value));
      }),
    );
  });
});

describe('dropCount', () => {
  it('accepts whole positive counts, clamps huge ones and ignores the rest', () => {
    expect(dropCount(3)).toBe(3);
    expect(dropCount(2.9)).toBe(2);
    expect(dropCount(1e300)).toBe(MAX_DROPS_PER_REPORT);
    for (const bad of [-1, 0, Number.NaN, Number.POSITIVE_INFINITY, '5', undefined]) expect(dropCount(bad)).toBe(0);
  });
});
