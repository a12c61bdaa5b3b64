// The schema's length limits (event.schema.ts) for the strings the importer
// writes, and a cut that keeps text valid. field-limits.test.ts holds these to
// the schema, so a change there shows up here.

export const LIMITS = { name: 256, path: 4096, extension: 32, directory: 64, label: 128 } as const;

/** At most `max` UTF-16 units (the schema's measure), never splitting a surrogate pair. */
export function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
