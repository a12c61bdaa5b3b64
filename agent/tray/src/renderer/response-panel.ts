// Wires the Response section to the bridge: draws every response status (read at
// start, pushed by main), ticks the countdown each second, and runs the forms —
// break-glass (with a confirmation step), maintenance mode, undo, opening a sealed
// file (IT staff). Every failure is shown in words beside the form it belongs to;
// nothing is thrown at the person.
import type { ResponseActionKind } from '@wardwatch/shared';
import type { ResponseResult, TrayProblem, WardWatchBridge } from '../common/ipc-channels';
import { renderResponse, renderWarning } from './render-response';
import { checkBreakGlass, checkMaintenance, checkOpenSealed, checkUndo } from './response-forms';
import { ACTION_NAMES, formatClock } from './response-words';

function byId<T extends HTMLElement = HTMLElement>(doc: Document, id: string): T {
  const element = doc.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** A rejected invoke (the guard refused, or main is gone) in words. */
function failureText(error: unknown): string {
  return `The tray could not send the request: ${error instanceof Error ? error.message : String(error)}`;
}

export class ResponsePanel {
  private latest: ResponseResult | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly doc: Document,
    private readonly bridge: WardWatchBridge,
    private readonly now: () => number = () => Date.now(),
  ) {}

  start(): void {
    this.bridge.onResponse((result) => this.draw(result));
    this.timer = setInterval(() => renderWarning(this.doc, this.latest, this.now()), 1_000);
    this.wireBreakGlass();
    this.wireMaintenance();
    this.wireUndo();
    this.wireOpenSealed();
    // The tray menu's "Open a sealed file…" opens the page at #open-sealed.
    this.doc.defaultView?.addEventListener('hashchange', () => this.focusSection());
    this.focusSection();
    this.reload();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  reload(): void {
    this.bridge.getResponse().then(
      (result) => this.draw(result),
      (error: unknown) => console.error('response status failed', error),
    );
  }

  private draw(result: ResponseResult): void {
    // A failed read keeps the last good status for the countdown: a blip must not hide a coming lock.
    if (result.ok || !this.latest) this.latest = result;
    renderResponse(this.doc, result, this.now());
  }

  private notice(message: string): void {
    byId(this.doc, 'response-notice').textContent = message;
  }

  private error(id: string, message: string | null): void {
    const element = byId(this.doc, id);
    element.hidden = message === null;
    element.textContent = message ?? '';
  }

  /** Runs one request with its button disabled; the result's problem goes to the form's error line. */
  private async send<R extends { ok: true } | { ok: false; problem: TrayProblem }>(
    button: HTMLButtonElement,
    errorId: string,
    request: () => Promise<R>,
  ): Promise<Extract<R, { ok: true }> | null> {
    button.disabled = true;
    this.error(errorId, null);
    try {
      const result = await request();
      if (!result.ok) this.error(errorId, result.problem.message);
      return result.ok ? (result as Extract<R, { ok: true }>) : null;
    } catch (error) {
      this.error(errorId, failureText(error));
      return null;
    } finally {
      button.disabled = false;
      this.reload();
    }
  }

  private wireBreakGlass(): void {
    const doc = this.doc;
    const form = byId<HTMLFormElement>(doc, 'break-glass-form');
    const reason = byId<HTMLTextAreaElement>(doc, 'break-glass-reason');
    const minutes = byId<HTMLSelectElement>(doc, 'break-glass-minutes');
    const confirm = byId(doc, 'break-glass-confirm');
    const yes = byId<HTMLButtonElement>(doc, 'break-glass-confirm-yes');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const checked = checkBreakGlass(reason.value, minutes.value);
      if (!checked.ok) {
        confirm.hidden = true;
        this.error('break-glass-error', checked.message);
        return (checked.field === 'reason' ? reason : minutes).focus();
      }
      this.error('break-glass-error', null);
      const label = minutes.selectedOptions[0]?.textContent ?? `${checked.value.minutes} minutes`;
      byId(doc, 'break-glass-confirm-text').textContent =
        `Declare emergency access for ${label}? Automatic locks and sign-outs are held off until it ends; ` +
        `this is recorded with your reason: "${checked.value.reason}".`;
      confirm.hidden = false;
      yes.focus();
    });
    byId(doc, 'break-glass-confirm-no').addEventListener('click', () => {
      confirm.hidden = true;
      reason.focus();
    });
    yes.addEventListener('click', () => {
      const checked = checkBreakGlass(reason.value, minutes.value);
      if (!checked.ok) return void (confirm.hidden = true);
      void this.send(yes, 'break-glass-error', () => this.bridge.declareBreakGlass(checked.value)).then((result) => {
        if (!result) return;
        confirm.hidden = true;
        reason.value = '';
        const until = result.breakGlass.until;
        this.notice(until ? `Emergency access declared until ${formatClock(until)}.` : 'Emergency access declared.');
      });
    });
    const end = byId<HTMLButtonElement>(doc, 'break-glass-end');
    end.addEventListener('click', () => {
      void this.send(end, 'break-glass-error', () => this.bridge.endBreakGlass()).then((result) => {
        if (result) this.notice('Emergency access ended.');
      });
    });
  }

  private wireMaintenance(): void {
    const doc = this.doc;
    const form = byId<HTMLFormElement>(doc, 'maintenance-form');
    const reason = byId<HTMLInputElement>(doc, 'maintenance-reason');
    const minutes = byId<HTMLInputElement>(doc, 'maintenance-minutes');
    const code = byId<HTMLInputElement>(doc, 'maintenance-code');
    const submit = byId<HTMLButtonElement>(doc, 'maintenance-submit');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const checked = checkMaintenance(reason.value, minutes.value, code.value);
      if (!checked.ok) {
        this.error('maintenance-error', checked.message);
        return ({ reason, minutes, code } as Record<string, HTMLInputElement>)[checked.field]?.focus();
      }
      void this.send(submit, 'maintenance-error', () => this.bridge.startMaintenance(checked.value)).then((result) => {
        if (!result) return;
        // The code is a credential: not left in the page once used.
        code.value = '';
        reason.value = '';
        const until = result.maintenance.until;
        this.notice(until ? `Maintenance mode until ${formatClock(until)}.` : 'Maintenance mode started.');
      });
    });
    const end = byId<HTMLButtonElement>(doc, 'maintenance-end');
    end.addEventListener('click', () => {
      void this.send(end, 'maintenance-error', () => this.bridge.endMaintenance()).then((result) => {
        if (result) this.notice('Maintenance mode ended.');
      });
    });
  }

  private wireUndo(): void {
    const doc = this.doc;
    const form = byId<HTMLFormElement>(doc, 'undo-form');
    const code = byId<HTMLInputElement>(doc, 'undo-code');
    const submit = byId<HTMLButtonElement>(doc, 'undo-submit');
    // One listener for the table: its rows are redrawn on every status.
    byId(doc, 'actions').addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button.undo');
      const commandId = button?.dataset.commandId;
      if (!commandId) return;
      const action = this.latest?.ok ? this.latest.response.actions.find((a) => a.commandId === commandId) : null;
      form.dataset.commandId = commandId;
      form.dataset.kind = action?.kind ?? '';
      byId(doc, 'undo-what').textContent = action
        ? `Undo "${ACTION_NAMES[action.kind]}" (reason: ${action.reason})? Needs a maintenance code from the WardWatch manager.`
        : 'Undo this action? Needs a maintenance code from the WardWatch manager.';
      this.error('undo-error', null);
      form.hidden = false;
      code.focus();
    });
    byId(doc, 'undo-cancel').addEventListener('click', () => {
      form.hidden = true;
      code.value = '';
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const checked = checkUndo(form.dataset.commandId ?? '', code.value);
      if (!checked.ok) {
        this.error('undo-error', checked.message);
        return code.focus();
      }
      void this.send(submit, 'undo-error', () => this.bridge.undo(checked.value)).then((result) => {
        if (!result) return;
        form.hidden = true;
        code.value = '';
        const kind = form.dataset.kind as ResponseActionKind | '';
        this.notice(kind ? `Undone: ${ACTION_NAMES[kind]}.` : 'Undone.');
      });
    });
  }

  private focusSection(): void {
    if (this.doc.location.hash !== '#open-sealed') return;
    const form = byId(this.doc, 'open-sealed-form');
    form.scrollIntoView();
    byId<HTMLInputElement>(this.doc, 'open-sealed-path').focus();
  }

  private wireOpenSealed(): void {
    const doc = this.doc;
    const form = byId<HTMLFormElement>(doc, 'open-sealed-form');
    const path = byId<HTMLInputElement>(doc, 'open-sealed-path');
    const reason = byId<HTMLInputElement>(doc, 'open-sealed-reason');
    const code = byId<HTMLInputElement>(doc, 'open-sealed-code');
    const submit = byId<HTMLButtonElement>(doc, 'open-sealed-submit');
    const done = byId(doc, 'open-sealed-result');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      done.hidden = true;
      const checked = checkOpenSealed(path.value, reason.value, code.value);
      if (!checked.ok) {
        this.error('open-sealed-error', checked.message);
        return ({ path, reason, code } as Record<string, HTMLInputElement>)[checked.field]?.focus();
      }
      void this.send(submit, 'open-sealed-error', () => this.bridge.openSealed(checked.value)).then((result) => {
        // The code is spent by the agent whatever the outcome of the open: never left in the page.
        code.value = '';
        if (!result) return;
        reason.value = '';
        const { out, policyVersion } = result.opened;
        done.textContent =
          `Opened. The clear copy is at ${out} (sealed under policy version ${policyVersion}). ` +
          'The WardWatch manager has recorded this opening with your reason.';
        done.hidden = false;
      });
    });
  }
}
