// One JSON record of a line-oriented source (journalctl, `log stream`, eslogger, the
// Windows Security-log query) read against its schema, or why it is none: not JSON,
// or the first field the schema misses.
import type { z } from 'zod';

export function readJsonLine<S extends z.ZodType>(
  schema: S,
  line: string,
  what: string,
): { data: z.infer<S> } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { error: `${what} is not valid JSON` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { error: `${what} lacks fields: ${parsed.error.issues[0]?.path.join('.') || 'object'}` };
  return { data: parsed.data };
}
