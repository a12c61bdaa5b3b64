// The manager shows each alert's ATT&CK techniques from shared's table, never from
// these files: this holds the table to the rules' own `attack.tNNNN` tags.
import { ruleTechniques } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRules } from './load-rules';

describe('ATT&CK techniques of the shipped rules', () => {
  it("matches shared's rule-id → technique table, rule for rule", async () => {
    const rules = await loadRules(DEFAULT_RULES_DIR);
    const fromTags = Object.fromEntries(
      rules.map((rule) => [
        rule.id,
        rule.tags
          .filter((tag) => /^attack\.t\d{4}(\.\d{3})?$/.test(tag))
          .map((tag) => tag.slice('attack.'.length).toUpperCase())
          .sort(),
      ]),
    );
    const fromTable = Object.fromEntries(
      Object.entries(ruleTechniques).map(([id, techniques]) => [id, techniques.map((t) => t.id).sort()]),
    );
    expect(fromTable).toEqual(fromTags);
    expect(Object.values(fromTags).every((ids) => ids.length > 0)).toBe(true);
  });
});
