// What every platform's collectDiagnostics answers: a snapshot whose JSON stays under
// MAX_DIAGNOSTICS_BYTES (lists are halved until it fits), the top processes by CPU and
// by memory, and the one message. No command lines or user names: they can hold
// patient data or name a person.
import type { ActionOutcome } from './response-actions';

export const MAX_DIAGNOSTICS_BYTES = 64 * 1024;
/** Processes listed by CPU and by memory, each. */
export const TOP_PROCESSES = 15;

export type DiagnosticsSnapshot = Record<string, unknown> & {
  processCount: number;
  sessions: unknown[];
  mounts: unknown[];
  topByCpu: unknown[];
  topByRss: unknown[];
};

/** The TOP_PROCESSES of `items` with the most `weight`, as rows. */
export function topBy<T, R>(items: readonly T[], weight: (item: T) => number, row: (item: T) => R): R[] {
  return [...items]
    .sort((a, b) => weight(b) - weight(a))
    .slice(0, TOP_PROCESSES)
    .map(row);
}

export function diagnosticsOutcome(snapshot: DiagnosticsSnapshot): ActionOutcome {
  const { value, truncated } = bound(snapshot);
  return {
    ok: true,
    message: `diagnostics: ${snapshot.processCount} processes, ${snapshot.sessions.length} sessions, ${snapshot.mounts.length} mounts`,
    details: { diagnostics: value, truncated },
  };
}

/** Halves the longest list until the JSON fits. */
function bound(snapshot: DiagnosticsSnapshot): { value: DiagnosticsSnapshot; truncated: boolean } {
  let value = snapshot;
  let truncated = false;
  for (let i = 0; i < 40 && Buffer.byteLength(JSON.stringify(value)) > MAX_DIAGNOSTICS_BYTES; i++) {
    truncated = true;
    const key = (['sessions', 'mounts', 'topByCpu', 'topByRss'] as const).reduce((a, b) =>
      value[a].length >= value[b].length ? a : b,
    );
    value = { ...value, [key]: value[key].slice(0, Math.floor(value[key].length / 2)) };
  }
  return { value, truncated };
}
