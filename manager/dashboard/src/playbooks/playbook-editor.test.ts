import type { PlaybookView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { checkDefinitionText, definitionText, ruleSummaries } from './playbook-editor';

const view: PlaybookView = {
  id: 'p1',
  version: 2,
  createdAt: 1,
  createdBy: 'admin',
  name: 'USB',
  description: '',
  enabled: true,
  rules: [
    {
      name: 'copy',
      when: { ruleIds: ['mass-copy-removable'], timeOfDay: { from: '22:00', to: '06:00' } },
      then: [{ kind: 'block_removable', mode: 'approve' }],
    },
  ],
};

describe('playbook editor', () => {
  it('edits the definition only, and reads it back', () => {
    const text = definitionText(view);
    expect(JSON.parse(text)).not.toHaveProperty('version');
    expect(checkDefinitionText(text)).toEqual({
      ok: true,
      definition: { name: 'USB', description: '', enabled: true, rules: view.rules },
    });
  });

  it('names each problem by its path, as the manager would', () => {
    const bad = JSON.parse(definitionText(view)) as { rules: { when: Record<string, unknown> }[] };
    bad.rules[0].when.minScore = 150;
    bad.rules[0].when.tagsAnyOf = ['ICU'];
    const checked = checkDefinitionText(JSON.stringify(bad));
    expect(checked.ok).toBe(false);
    if (!checked.ok)
      expect(checked.problems.map((p) => p.path).sort()).toEqual(['rules.0.when.minScore', 'rules.0.when.tagsAnyOf.0']);
  });

  it('says when the text is not JSON', () => {
    const checked = checkDefinitionText('{"name": ');
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problems[0].path).toBe('(json)');
  });

  it('summarises rules in words', () => {
    expect(ruleSummaries(view)).toEqual([
      'copy: ruleIds mass-copy-removable, timeOfDay 22:00–06:00 → block_removable (approve)',
    ]);
  });
});
