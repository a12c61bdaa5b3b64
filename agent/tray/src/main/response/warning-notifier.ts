// Tells the person at the workstation, once, that a response action is coming:
// an OS notification when a warning countdown starts (the page may be closed and
// the tray icon easy to miss). Decided here from the response status alone; the
// notification itself is behind DesktopNotifier (Electron's Notification in main.ts).
import type { ResponseActionKind, ResponseActionView } from '@wardwatch/shared';
import type { ResponseResult } from '../../common/ipc-channels';

export interface DesktopNotice {
  title: string;
  body: string;
}

export interface DesktopNotifier {
  notify(notice: DesktopNotice): void;
}

/** What happens when the countdown ends, completing "Save your work: …". */
const WHAT_HAPPENS: Record<ResponseActionKind, string> = {
  lock_screen: 'this session will be locked',
  revoke_session: 'this session will be signed out',
  kill_process_tree: 'a program will be stopped',
  block_removable: 'removable drives will be blocked',
  disable_account: 'this account will be disabled',
  collect_diagnostics: 'diagnostics will be collected',
  undo: 'an action will be undone',
  rotate_command_key: 'a key will be changed',
};

/** m:ss, never negative: "0:42", "1:05". */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1_000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The running warnings, soonest first. */
export function runningWarnings(result: ResponseResult | null): ResponseActionView[] {
  if (!result?.ok) return [];
  return result.response.actions
    .filter((action) => action.state === 'warning' && action.runsAt !== null)
    .sort((a, b) => (a.runsAt ?? 0) - (b.runsAt ?? 0));
}

export function warningNotice(action: ResponseActionView, now: number): DesktopNotice {
  const left = formatCountdown((action.runsAt ?? now) - now);
  return {
    title: 'WardWatch: save your work',
    body: `Save your work: ${WHAT_HAPPENS[action.kind]} in ${left}. Reason: ${action.reason}`,
  };
}

/** One line for the tray's tooltip while a warning runs (it does not tick; the page does). */
export function warningLine(action: ResponseActionView): string {
  return `WardWatch: save your work, ${WHAT_HAPPENS[action.kind]} soon`;
}

export class WarningNotifier {
  /** Warnings already announced; only those still running are kept, so the set stays small. */
  private announced = new Set<string>();

  constructor(
    private readonly notifier: DesktopNotifier,
    private readonly now: () => number,
  ) {}

  /** Called with every response status; announces each warning once, when first seen. */
  update(result: ResponseResult): void {
    // A failed read says nothing about warnings: keep what was announced, so a blip does not repeat them.
    if (!result.ok) return;
    const running = runningWarnings(result);
    for (const action of running) {
      if (!this.announced.has(action.commandId)) this.notifier.notify(warningNotice(action, this.now()));
    }
    this.announced = new Set(running.map((action) => action.commandId));
  }
}
