// The playbook editor's logic, apart from React: the text an admin edits (the
// definition as pretty JSON), and its problems by path, checked with the same shared
// schema the manager validates with, so the editor shows what the API would refuse.
import { PlaybookDefinition, type PlaybookView } from '@wardwatch/shared';

export interface Problem {
  /** `rules.0.when.minScore`, or `(json)` when the text is not JSON, `(playbook)` for the whole. */
  path: string;
  message: string;
}

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
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '(json)', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = PlaybookDefinition.safeParse(raw);
  if (parsed.success) return { ok: true, definition: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.slice(0, 50).map((issue) => ({
      path: issue.path.map(String).join('.') || '(playbook)',
      message: issue.message,
    })),
  };
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
