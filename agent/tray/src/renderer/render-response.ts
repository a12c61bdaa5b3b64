// Draws the Response section: the running warning and its countdown, the actions
// on this workstation, break-glass and maintenance mode. Agent data goes in
// through textContent only (a reason is the manager's words, shown as characters).
import type { ResponseActionView } from '@wardwatch/shared';
import type { ResponseResult } from '../common/ipc-channels';
import { ACTION_NAMES, formatClock, formatCountdown, STATE_NAMES, warningText } from './response-words';

function byId<T extends HTMLElement = HTMLElement>(doc: Document, id: string): T {
  const element = doc.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

function show(doc: Document, id: string, visible: boolean): void {
  byId(doc, id).hidden = !visible;
}

function text(doc: Document, id: string, value: string): void {
  byId(doc, id).textContent = value;
}

/** The warning shown in the banner: the one that runs soonest. */
export function currentWarning(result: ResponseResult | null): ResponseActionView | null {
  if (!result?.ok) return null;
  const running = result.response.actions.filter((a) => a.state === 'warning' && a.runsAt !== null);
  running.sort((a, b) => (a.runsAt ?? 0) - (b.runsAt ?? 0));
  return running[0] ?? null;
}

/** When screen readers hear the countdown: as it starts, then at 30 and 10 seconds (not every second). */
function announcementStage(msLeft: number): string {
  if (msLeft <= 10_000) return '10';
  if (msLeft <= 30_000) return '30';
  return 'start';
}

/** The banner and its countdown; called on every status and once a second. */
export function renderWarning(doc: Document, result: ResponseResult | null, now: number): void {
  const warning = currentWarning(result);
  const announce = byId(doc, 'warning-announce');
  show(doc, 'warning', warning !== null);
  if (!warning || warning.runsAt === null) {
    announce.dataset.key = '';
    return;
  }
  const line = warningText(warning.kind, warning.runsAt, now);
  text(doc, 'warning-countdown', line);
  text(doc, 'warning-reason', `Reason: ${warning.reason}`);
  // A new time for the same action (deferred) is said again, with the time it now runs at.
  const key = `${warning.commandId}:${warning.runsAt}:${announcementStage(warning.runsAt - now)}`;
  if (announce.dataset.key !== key) {
    announce.dataset.key = key;
    announce.textContent = `${line}. Reason: ${warning.reason}`;
  }
}

function actionRow(doc: Document, action: ResponseActionView, now: number): HTMLTableRowElement {
  const cell = (value: string, className?: string) => {
    const td = doc.createElement('td');
    td.textContent = value;
    if (className) td.className = className;
    return td;
  };
  const when =
    action.state === 'warning' && action.runsAt !== null
      ? `in ${formatCountdown(action.runsAt - now)}`
      : new Date(action.finishedAt ?? action.receivedAt).toLocaleString();
  const result = [action.message, action.automatic ? 'automatic' : 'by a person'].filter(Boolean).join(' · ');
  const undo = doc.createElement('td');
  if (action.undoable) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'undo';
    button.textContent = 'Undo…';
    button.dataset.commandId = action.commandId;
    button.setAttribute('aria-label', `Undo: ${ACTION_NAMES[action.kind]}`);
    undo.append(button);
  }
  const row = doc.createElement('tr');
  row.dataset.commandId = action.commandId;
  row.append(
    cell(ACTION_NAMES[action.kind]),
    cell(STATE_NAMES[action.state], `state-${action.state}`),
    cell(action.reason),
    cell(result),
    cell(when),
    undo,
  );
  return row;
}

export function renderResponse(doc: Document, result: ResponseResult, now: number): void {
  renderWarning(doc, result, now);
  const problem = byId(doc, 'response-problem');
  if (!result.ok) {
    // Keep the last actions shown (the agent may be restarting); say why they are not fresh.
    problem.hidden = false;
    problem.textContent =
      result.problem.code === 'not-available'
        ? 'Response actions are not available on this agent.'
        : `Response not updated: ${result.problem.message}`;
    return;
  }
  problem.hidden = true;
  const { response } = result;
  const mode = !response.commandsEnabled
    ? 'Response actions are off here until the agent holds a command key from its manager.'
    : response.dryRun
      ? 'Dry run: actions are recorded, not carried out.'
      : '';
  text(doc, 'response-mode', mode);
  show(doc, 'response-mode', mode !== '');

  const rows = response.actions.map((action) => actionRow(doc, action, now));
  if (rows.length === 0) {
    const td = doc.createElement('td');
    td.colSpan = 6;
    td.textContent = 'No actions on this workstation.';
    const tr = doc.createElement('tr');
    tr.append(td);
    rows.push(tr);
  }
  byId(doc, 'actions').replaceChildren(...rows);

  const { breakGlass, maintenance } = response;
  show(doc, 'break-glass-active', breakGlass.active);
  show(doc, 'break-glass-form', !breakGlass.active);
  if (breakGlass.active) {
    text(
      doc,
      'break-glass-until',
      breakGlass.until ? `Emergency access until ${formatClock(breakGlass.until)}` : 'Emergency access',
    );
    text(doc, 'break-glass-active-reason', `Reason: ${breakGlass.reason ?? ''}`);
  }
  show(doc, 'maintenance-active', maintenance.active);
  show(doc, 'maintenance-form', !maintenance.active);
  if (maintenance.active) {
    text(
      doc,
      'maintenance-until',
      maintenance.until ? `Maintenance mode until ${formatClock(maintenance.until)}` : 'Maintenance mode',
    );
    text(doc, 'maintenance-active-reason', `Reason: ${maintenance.reason ?? ''}`);
  }
}
