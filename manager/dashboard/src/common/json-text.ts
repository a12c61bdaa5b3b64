// A JSON text an admin edits, checked with the shared schema the manager validates
// with, so an editor shows what the API would refuse, each problem by its path.
import type { z } from 'zod';

export interface Problem {
  /** `tiers.0.settings.idleLockSeconds`, or `(json)` when the text is not JSON, `whole` for the root. */
  path: string;
  message: string;
}

export type CheckedText<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export function checkJsonText<S extends z.ZodType>(schema: S, text: string, whole: string): CheckedText<z.infer<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '(json)', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.slice(0, 50).map((issue) => ({
      path: issue.path.map(String).join('.') || whole,
      message: issue.message,
    })),
  };
}
