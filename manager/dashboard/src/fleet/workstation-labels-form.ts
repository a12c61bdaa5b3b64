// The workstation labels form's logic, apart from React: the text an admin edits (tags
// as a comma-separated list, the unit as one line) and its problems by field, checked
// with the shared UpdateAgentRequest the manager validates with, so the form shows what
// the PATCH would refuse.
import { UpdateAgentRequest, type AgentView } from '@wardwatch/shared';

export interface LabelsText {
  tags: string;
  unit: string;
}

/** `tags`, `unit`, or `form` for a problem of the whole request. */
export type LabelsField = 'tags' | 'unit' | 'form';

export interface LabelsProblem {
  field: LabelsField;
  message: string;
}

export type CheckedLabels = { ok: true; request: UpdateAgentRequest } | { ok: false; problems: LabelsProblem[] };

/** What the form starts from: the agent's tags as "icu, shared-clinical", its unit or ''. */
export function labelsText(agent: Pick<AgentView, 'tags' | 'unit'>): LabelsText {
  return { tags: (agent.tags ?? []).join(', '), unit: agent.unit ?? '' };
}

/** Tags split on commas and spaces, empty pieces left out; an empty unit clears it. */
export function checkLabels(text: LabelsText): CheckedLabels {
  const tags = text.tags
    .split(/[\s,]+/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  const unit = text.unit.trim() === '' ? null : text.unit;
  const parsed = UpdateAgentRequest.safeParse({ tags, unit });
  if (parsed.success) return { ok: true, request: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.slice(0, 10).map((issue) => {
      const [first, index] = issue.path;
      const field: LabelsField = first === 'tags' || first === 'unit' ? first : 'form';
      // Name the offending tag by its text: "tag 'ICU': use 1–32 lower-case …".
      const tag = field === 'tags' && typeof index === 'number' ? tags[index] : undefined;
      return { field, message: tag === undefined ? issue.message : `tag '${tag}': ${issue.message}` };
    }),
  };
}

/** The problems of one field, joined for display ('' when none). */
export function problemsOf(problems: readonly LabelsProblem[], field: LabelsField): string {
  return problems
    .filter((p) => p.field === field)
    .map((p) => p.message)
    .join('; ');
}
