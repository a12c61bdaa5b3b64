// Streaming reader for portable NDJSON: one bad line is reported with its line
// number and counted by reason, and reading goes on. Nothing is buffered beyond
// one line, so multi-gigabyte recordings stream in constant memory.
import { PortableEvent, isPortableKind, PORTABLE_FORMAT_VERSION } from './event.schema';

export interface BadLine {
  line: number;
  reason: string;
}

export interface ReadStats {
  lines: number;
  records: number;
  /** Bad lines per reason code: "json", "version", "unknown_kind", "invalid". */
  errorsByReason: Record<string, number>;
  errors: number;
}

export interface ParseLineResult {
  ok: boolean;
  event?: PortableEvent;
  reasonCode?: string;
  reason?: string;
}

/** Parses one NDJSON line; blank lines give `{ ok: true }` with no event. */
export function parsePortableLine(text: string): ParseLineResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    return { ok: false, reasonCode: 'json', reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reasonCode: 'invalid', reason: 'not a JSON object' };
  }
  const record = value as Record<string, unknown>;
  if (record.v !== PORTABLE_FORMAT_VERSION) {
    return { ok: false, reasonCode: 'version', reason: `unsupported format version ${JSON.stringify(record.v)}` };
  }
  if (!isPortableKind(record.kind)) {
    return {
      ok: false,
      reasonCode: 'unknown_kind',
      reason: `unknown kind ${JSON.stringify(record.kind)}`.slice(0, 200),
    };
  }
  const parsed = PortableEvent.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reasonCode: 'invalid', reason: `${issue?.path.join('.') || '(record)'}: ${issue?.message}` };
  }
  return { ok: true, event: parsed.data };
}

/**
 * Reads portable events from chunks of text (a file stream, stdin). Bad lines go
 * to `onBadLine`; `stats` is filled in as reading proceeds.
 */
export async function* readPortableEvents(
  chunks: AsyncIterable<string | Uint8Array>,
  onBadLine: (bad: BadLine) => void = () => {},
  stats: ReadStats = emptyReadStats(),
): AsyncGenerator<PortableEvent> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  const handle = function* (line: string): Generator<PortableEvent> {
    stats.lines += 1;
    const result = parsePortableLine(line);
    if (result.event) {
      stats.records += 1;
      yield result.event;
    } else if (!result.ok) {
      stats.errors += 1;
      const code = result.reasonCode ?? 'invalid';
      stats.errorsByReason[code] = (stats.errorsByReason[code] ?? 0) + 1;
      onBadLine({ line: stats.lines, reason: result.reason ?? code });
    }
  };
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = pending.indexOf('\n', start);
    while (newline >= 0) {
      yield* handle(pending.slice(start, newline));
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending.length > 0) yield* handle(pending);
}

export function emptyReadStats(): ReadStats {
  return { lines: 0, records: 0, errorsByReason: {}, errors: 0 };
}

/** One event as an NDJSON line with ISO time (what the simulator writes). */
export function formatPortableLine(event: PortableEvent): string {
  return JSON.stringify({ ...event, time: new Date(event.time).toISOString() });
}
