// Compiles a rule's selections and its condition ("a and not (b or c)") into
// one predicate over portable events. String matches ignore case, as in Sigma.
import type { PortableEvent } from '@wardwatch/shared/agent';
import type { Selection } from './rule.schema';

export type EventPredicate = (event: PortableEvent) => boolean;

export function fieldValue(event: PortableEvent, field: string): unknown {
  return (event as unknown as Record<string, unknown>)[field];
}

/** A value as text for matching, keys and reasons: '' when absent; a portable record's fields are scalars, anything else is shown as JSON. */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

function compileMatcher(
  modifier: string | undefined,
  expected: string | number | boolean,
): (actual: unknown) => boolean {
  if (modifier === 'gte' || modifier === 'lte' || modifier === 'gt' || modifier === 'lt') {
    const limit = Number(expected);
    if (!Number.isFinite(limit))
      throw new Error(`modifier ${modifier} needs a number, got ${JSON.stringify(expected)}`);
    return (actual) =>
      typeof actual === 'number' &&
      (modifier === 'gte'
        ? actual >= limit
        : modifier === 'lte'
          ? actual <= limit
          : modifier === 'gt'
            ? actual > limit
            : actual < limit);
  }
  if (modifier === 're') {
    const re = new RegExp(String(expected), 'i');
    return (actual) => typeof actual === 'string' && re.test(actual);
  }
  const text = String(expected).toLowerCase();
  const test =
    modifier === 'contains'
      ? (s: string) => s.includes(text)
      : modifier === 'startswith'
        ? (s: string) => s.startsWith(text)
        : modifier === 'endswith'
          ? (s: string) => s.endsWith(text)
          : (s: string) => s === text;
  return (actual) => (actual === undefined || actual === null ? false : test(asText(actual).toLowerCase()));
}

export function compileSelection(selection: Selection): EventPredicate {
  const checks = Object.entries(selection).map(([key, value]) => {
    const [field, modifier] = key.split('|');
    const matchers = (Array.isArray(value) ? value : [value]).map((v) => compileMatcher(modifier, v));
    return (event: PortableEvent) => {
      const actual = fieldValue(event, field);
      return matchers.some((m) => m(actual));
    };
  });
  return (event) => checks.every((check) => check(event));
}

/** Recursive-descent parser for: expr := term ('or' term)*; term := factor ('and' factor)*; factor := 'not' factor | '(' expr ')' | name */
export function compileCondition(condition: string, selections: Record<string, EventPredicate>): EventPredicate {
  const tokens = condition.match(/\(|\)|[^\s()]+/g) ?? [];
  let position = 0;
  const peek = () => tokens[position]?.toLowerCase();
  const fail = (message: string): never => {
    throw new Error(`condition "${condition}": ${message}`);
  };
  const expr = (): EventPredicate => {
    const parts = [term()];
    while (peek() === 'or') {
      position++;
      parts.push(term());
    }
    return parts.length === 1 ? parts[0] : (e) => parts.some((p) => p(e));
  };
  const term = (): EventPredicate => {
    const parts = [factor()];
    while (peek() === 'and') {
      position++;
      parts.push(factor());
    }
    return parts.length === 1 ? parts[0] : (e) => parts.every((p) => p(e));
  };
  const factor = (): EventPredicate => {
    const token = tokens[position++];
    if (token === undefined) return fail('ends too early');
    if (token.toLowerCase() === 'not') {
      const inner = factor();
      return (e) => !inner(e);
    }
    if (token === '(') {
      const inner = expr();
      if (tokens[position++] !== ')') fail('missing )');
      return inner;
    }
    const selection = selections[token];
    if (!selection) return fail(`unknown selection "${token}" (defined: ${Object.keys(selections).join(', ')})`);
    return selection;
  };
  const predicate = expr();
  if (position < tokens.length) fail(`unexpected "${tokens[position]}"`);
  return predicate;
}
