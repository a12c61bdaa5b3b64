// The playbook editor's logic, apart from React: the text an admin edits (the
// definition as pretty JSON), and its problems by path, checked with the same shared
// schema the manager validates with, so the editor shows what the API would refuse.
import { PlaybookDefinition, type PlaybookView } from '@wardwatch/shared';
import { checkJsonText, type Problem } from '../common/json-text';

export type { Problem } from '../common/json-text';

export type CheckedDefinition = { ok: true; definition: PlaybookDefinition } | { ok: false; problems: Problem[] };

/** The editable part of a playbook, as the text the editor starts from. */
export function definitionText(view: PlaybookView): string {
  const definition: PlaybookDefinition = {
    name: view.name,
    description: view.description,
    enabled: view.enabled,
    rules: view.rules,
  };
  return JSON.stringify(definition, null, 2);
}

export function checkDefinitionText(text: string): CheckedDefinition {
  const checked = checkJsonText(PlaybookDefinition, text, '(playbook)');
  return checked.ok ? { ok: true, definition: checked.value } : checked;
}

/** One line per rule, for reading a version without its JSON: "name: when … → kind (mode), …". */
export function ruleSummaries(definition: Pick<PlaybookDefinition, 'rules'>): string[] {
  return definition.rules.map((rule) => {
    const when = Object.entries(rule.when)
      .map(
        ([key, value]) =>
          `${key} ${Array.isArray(value) ? value.join('|') : typeof value === 'object' ? `${value.from}–${value.to}` : String(value)}`,
      )
      .join(', ');
    const then = rule.then.map((action) => `${action.kind} (${action.mode})`).join(', ');
    return `${rule.name}: ${when || 'every alert'} → ${then}`;
  });
}
