// An event's `detail` is whatever the agent sent for its category. It is shown as a
// key/value list of plain strings; React renders them as text, never as markup.

const MAX_VALUE_LENGTH = 2000;

export function detailEntries(detail: Readonly<Record<string, unknown>>): Array<[key: string, value: string]> {
  return Object.keys(detail)
    .sort()
    .map((key) => [key, formatValue(detail[key])]);
}

export function formatValue(value: unknown): string {
  let text: string;
  if (value === '') text = '(empty)';
  else if (typeof value === 'string') text = value;
  else if (value === null || value === undefined) text = String(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else {
    try {
      // undefined for a function or a symbol, which JSON cannot hold.
      text = JSON.stringify(value) ?? `[${typeof value}]`;
    } catch {
      text = '[unprintable value]';
    }
  }
  // A hostile agent can send megabytes in one field; the table should stay usable.
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}… (${text.length} characters)` : text;
}
