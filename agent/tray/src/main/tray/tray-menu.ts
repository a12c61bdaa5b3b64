// What the tray icon says and offers, decided from the latest status alone so
// it can be tested without Electron; main.ts turns the model into a Menu.
import type { ResponseResult, StatusResult } from '../../common/ipc-channels';
import { runningWarnings, warningLine } from '../response/warning-notifier';

export type TrayActionId = 'open-status' | 'open-sealed' | 'refresh' | 'open-logs' | 'quit';
/** `warning`: a response action is counting down on this workstation (red icon). */
export type TrayHealth = 'connected' | 'disconnected' | 'unknown' | 'warning';

export type TrayMenuItem =
  { kind: 'label'; label: string } | { kind: 'separator' } | { kind: 'action'; id: TrayActionId; label: string };

export interface TrayModel {
  health: TrayHealth;
  tooltip: string;
  items: TrayMenuItem[];
}

export function trayHealth(result: StatusResult | null): TrayHealth {
  if (!result) return 'unknown';
  if (!result.ok) return 'unknown';
  return result.status.manager.connected ? 'connected' : 'disconnected';
}

/** One line for the tooltip and the menu's first (disabled) row. */
export function statusLine(result: StatusResult | null): string {
  if (!result) return 'WardWatch: checking the agent…';
  if (!result.ok) return `WardWatch: agent not reachable (${result.problem.code})`;
  const { manager } = result.status;
  return manager.connected
    ? `WardWatch: connected to ${manager.address}`
    : `WardWatch: not connected to ${manager.address}`;
}

export function buildTrayModel(result: StatusResult | null, response: ResponseResult | null = null): TrayModel {
  // A coming lock or sign-out outranks the connection state: it is what the person must act on.
  const warning = runningWarnings(response)[0];
  const line = warning ? warningLine(warning) : statusLine(result);
  return {
    health: warning ? 'warning' : trayHealth(result),
    tooltip: line,
    items: [
      { kind: 'label', label: line },
      { kind: 'separator' },
      { kind: 'action', id: 'open-status', label: 'Open status' },
      // IT staff: the status page at its "Open a sealed file" form (code and reason asked there).
      { kind: 'action', id: 'open-sealed', label: 'Open a sealed file…' },
      { kind: 'action', id: 'refresh', label: 'Refresh' },
      { kind: 'action', id: 'open-logs', label: 'Open logs folder' },
      { kind: 'separator' },
      { kind: 'action', id: 'quit', label: 'Quit' },
    ],
  };
}
