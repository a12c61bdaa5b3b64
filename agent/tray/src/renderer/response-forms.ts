// The Response forms' checks, before anything is sent: the same bounds as the
// shared request schemas (BreakGlassRequest, MaintenanceRequest, UndoRequest, OpenSealedRequest),
// which main checks again at the IPC boundary and the agent at its API.
// response-forms.test.ts holds the two in agreement. Words for a person, by field.
import type { BreakGlassInput, MaintenanceInput, OpenSealedInput, UndoInput } from '../common/ipc-channels';

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

export const REASON_MIN = 3;
export const REASON_MAX = 500;
export const MINUTES_MIN = 5;
export const MINUTES_MAX = 480;
export const CODE_MIN = 16;
export const CODE_MAX = 2000;
export const PATH_MIN = 2;
export const PATH_MAX = 4_096;

function reasonProblem(reason: string): string | null {
  const length = reason.trim().length;
  if (length < REASON_MIN) return `Give a reason (at least ${REASON_MIN} characters).`;
  if (length > REASON_MAX) return `The reason is too long (at most ${REASON_MAX} characters).`;
  return null;
}

function minutesOf(text: string): number | null {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < MINUTES_MIN || value > MINUTES_MAX) return null;
  return value;
}

function codeProblem(code: string): string | null {
  const length = code.trim().length;
  if (length === 0) return 'Enter the maintenance code from the WardWatch manager.';
  if (length < CODE_MIN || length > CODE_MAX) return 'This is not a maintenance code: copy the whole code.';
  return null;
}

const minutesMessage = `Choose between ${MINUTES_MIN} and ${MINUTES_MAX} minutes.`;

export function checkBreakGlass(reason: string, minutes: string): Checked<BreakGlassInput> {
  const problem = reasonProblem(reason);
  if (problem) return { ok: false, field: 'reason', message: problem };
  const value = minutesOf(minutes);
  if (value === null) return { ok: false, field: 'minutes', message: minutesMessage };
  return { ok: true, value: { reason: reason.trim(), minutes: value } };
}

export function checkMaintenance(reason: string, minutes: string, code: string): Checked<MaintenanceInput> {
  const problem = reasonProblem(reason);
  if (problem) return { ok: false, field: 'reason', message: problem };
  const value = minutesOf(minutes);
  if (value === null) return { ok: false, field: 'minutes', message: minutesMessage };
  const bad = codeProblem(code);
  if (bad) return { ok: false, field: 'code', message: bad };
  return { ok: true, value: { reason: reason.trim(), minutes: value, code: code.trim() } };
}

export function checkUndo(commandId: string, code: string): Checked<UndoInput> {
  const bad = codeProblem(code);
  if (bad) return { ok: false, field: 'code', message: bad };
  return { ok: true, value: { commandId, code: code.trim() } };
}

/** The path is trimmed (a pasted path often carries a space); the agent decides whether it may be opened. */
export function checkOpenSealed(path: string, reason: string, code: string): Checked<OpenSealedInput> {
  const trimmed = path.trim();
  if (trimmed.length < PATH_MIN)
    return { ok: false, field: 'path', message: 'Give the full path of the sealed file (it ends in .wwsealed).' };
  if (trimmed.length > PATH_MAX)
    return { ok: false, field: 'path', message: `The path is too long (at most ${PATH_MAX} characters).` };
  const problem = reasonProblem(reason);
  if (problem) return { ok: false, field: 'reason', message: problem };
  const bad = codeProblem(code);
  if (bad) return { ok: false, field: 'code', message: bad };
  return { ok: true, value: { path: trimmed, reason: reason.trim(), code: code.trim() } };
}
