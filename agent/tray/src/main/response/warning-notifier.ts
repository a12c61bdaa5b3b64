// Tells the person at the workstation, once, that a response action is coming:
// an OS notification when a warning countdown starts (the page may be closed and
// the tray icon easy to miss). Decided here from the response status alone; the
// notification itself is behind DesktopNotifier (Electron's Notification in main.ts).
import type { ResponseActionView } from '@wardwatch/shared';
import type { ResponseResult } from '../../common/ipc-channels';
// The page's words, so the notification and the banner say the same (the file is pure).
import { formatCountdown, WHAT_HAPPENS } from '../../renderer/response-words';

export interface DesktopNotice {
  title: string;
  body: string;
}

export interface DesktopNotifier {
  notify(notice: DesktopNotice): void;
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
