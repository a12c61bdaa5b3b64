// Every IPC channel between the tray's main process and its renderer, with the
// zod schema of each request and response. Main, preload and renderer all take
// names and shapes from here, so a channel cannot drift between the two sides.
import { AgentStatus, RecentEvent } from '@wardwatch/shared';
import { z } from 'zod';

/** Why the tray could not show the agent's state; the renderer words each one. */
export const TrayProblemCode = z.enum([
  'not-running', // no local-api.json: the agent has not started (or not with this data folder)
  'token-unreadable', // the token file exists but this account may not read it
  'unreachable', // nothing answers on the port
  'unauthorized', // the agent refused the token (it restarted with a new one, or wrong folder)
  'timeout',
  'bad-response', // not JSON, or not the shape the shared schema declares
  'http-error',
]);
export type TrayProblemCode = z.infer<typeof TrayProblemCode>;

export const TrayProblem = z.object({ code: TrayProblemCode, message: z.string() });
export type TrayProblem = z.infer<typeof TrayProblem>;

export const StatusResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), fetchedAt: z.number().int(), status: AgentStatus }),
  z.object({ ok: z.literal(false), fetchedAt: z.number().int(), problem: TrayProblem }),
]);
export type StatusResult = z.infer<typeof StatusResult>;

export const RecentEventsResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), fetchedAt: z.number().int(), items: z.array(RecentEvent) }),
  z.object({ ok: z.literal(false), fetchedAt: z.number().int(), problem: TrayProblem }),
]);
export type RecentEventsResult = z.infer<typeof RecentEventsResult>;

/** Requests carry no arguments today; the empty tuple rejects anything sent anyway. */
export const NoArgs = z.tuple([]);

/** renderer → main, answered (ipcRenderer.invoke / ipcMain.handle). */
export const InvokeChannels = {
  getStatus: { name: 'wardwatch:status:get', args: NoArgs, result: StatusResult },
  getRecentEvents: { name: 'wardwatch:events:recent', args: NoArgs, result: RecentEventsResult },
} as const;

/** main → renderer, pushed (webContents.send / ipcRenderer.on). */
export const PushChannels = {
  status: { name: 'wardwatch:status:changed', payload: StatusResult },
} as const;

export type InvokeChannelName = (typeof InvokeChannels)[keyof typeof InvokeChannels]['name'];

/** What the preload exposes as `window.wardwatch`, and all it exposes. */
export interface WardWatchBridge {
  getStatus(): Promise<StatusResult>;
  getRecentEvents(): Promise<RecentEventsResult>;
  /** Calls `callback` whenever main has a fresh status; returns the unsubscribe function. */
  onStatus(callback: (result: StatusResult) => void): () => void;
}

export const BRIDGE_KEY = 'wardwatch';
