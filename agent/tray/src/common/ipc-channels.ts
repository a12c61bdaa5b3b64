// Every IPC channel between the tray's main process and its renderer, with the
// zod schema of each request and response. Main, preload and renderer all take
// names and shapes from here, so a channel cannot drift between the two sides.
import {
  AgentStatus,
  BreakGlassRequest,
  BreakGlassView,
  MaintenanceRequest,
  MaintenanceView,
  OpenSealedReport,
  OpenSealedRequest,
  RecentEvent,
  ResponseActionView,
  ResponseStatus,
  UndoRequest,
} from '@wardwatch/shared';
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
  'refused', // the agent refused a request (bad maintenance code, nothing to undo…): its message says why
  'not-available', // the agent runs without its response side (503)
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

const Failed = z.object({ ok: z.literal(false), fetchedAt: z.number().int(), problem: TrayProblem });

/** The response side as the agent reports it (GET /v1/response), or why it could not be had. */
export const ResponseResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), fetchedAt: z.number().int(), response: ResponseStatus }),
  Failed,
]);
export type ResponseResult = z.infer<typeof ResponseResult>;

export const BreakGlassResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), fetchedAt: z.number().int(), breakGlass: BreakGlassView }),
  Failed,
]);
export type BreakGlassResult = z.infer<typeof BreakGlassResult>;

export const MaintenanceResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), fetchedAt: z.number().int(), maintenance: MaintenanceView }),
  Failed,
]);
export type MaintenanceResult = z.infer<typeof MaintenanceResult>;

export const UndoResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), fetchedAt: z.number().int(), action: ResponseActionView }),
  Failed,
]);
export type UndoResult = z.infer<typeof UndoResult>;

/** Where the agent wrote the clear copy of a sealed file (a local path: it never leaves the workstation). */
export const OpenSealedResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), fetchedAt: z.number().int(), opened: OpenSealedReport }),
  Failed,
]);
export type OpenSealedResult = z.infer<typeof OpenSealedResult>;

/** What the page sends (before defaults: break-glass minutes may be left out). */
export type BreakGlassInput = z.input<typeof BreakGlassRequest>;
export type MaintenanceInput = z.input<typeof MaintenanceRequest>;
export type UndoInput = z.input<typeof UndoRequest>;
export type OpenSealedInput = z.input<typeof OpenSealedRequest>;

/** Channels without arguments take the empty tuple, which rejects anything sent anyway. */
export const NoArgs = z.tuple([]);

/** renderer → main, answered (ipcRenderer.invoke / ipcMain.handle). */
export const InvokeChannels = {
  getStatus: { name: 'wardwatch:status:get', args: NoArgs, result: StatusResult },
  getRecentEvents: { name: 'wardwatch:events:recent', args: NoArgs, result: RecentEventsResult },
  getResponse: { name: 'wardwatch:response:get', args: NoArgs, result: ResponseResult },
  // The forms' arguments are the local API's own request schemas: the same bounds at every edge.
  declareBreakGlass: {
    name: 'wardwatch:response:break-glass:declare',
    args: z.tuple([BreakGlassRequest]),
    result: BreakGlassResult,
  },
  endBreakGlass: { name: 'wardwatch:response:break-glass:end', args: NoArgs, result: BreakGlassResult },
  startMaintenance: {
    name: 'wardwatch:response:maintenance:start',
    args: z.tuple([MaintenanceRequest]),
    result: MaintenanceResult,
  },
  endMaintenance: { name: 'wardwatch:response:maintenance:end', args: NoArgs, result: MaintenanceResult },
  undo: { name: 'wardwatch:response:undo', args: z.tuple([UndoRequest]), result: UndoResult },
  openSealed: {
    name: 'wardwatch:response:open-sealed',
    args: z.tuple([OpenSealedRequest]),
    result: OpenSealedResult,
  },
} as const;

/** main → renderer, pushed (webContents.send / ipcRenderer.on). */
export const PushChannels = {
  status: { name: 'wardwatch:status:changed', payload: StatusResult },
  response: { name: 'wardwatch:response:changed', payload: ResponseResult },
} as const;

export type InvokeChannelName = (typeof InvokeChannels)[keyof typeof InvokeChannels]['name'];

/** What the preload exposes as `window.wardwatch`, and all it exposes. */
export interface WardWatchBridge {
  getStatus(): Promise<StatusResult>;
  getRecentEvents(): Promise<RecentEventsResult>;
  /** Calls `callback` whenever main has a fresh status; returns the unsubscribe function. */
  onStatus(callback: (result: StatusResult) => void): () => void;
  getResponse(): Promise<ResponseResult>;
  declareBreakGlass(request: BreakGlassInput): Promise<BreakGlassResult>;
  endBreakGlass(): Promise<BreakGlassResult>;
  startMaintenance(request: MaintenanceInput): Promise<MaintenanceResult>;
  endMaintenance(): Promise<MaintenanceResult>;
  undo(request: UndoInput): Promise<UndoResult>;
  /** IT staff open a sealed file for the user signed in here (maintenance code and reason; audited by the manager). */
  openSealed(request: OpenSealedInput): Promise<OpenSealedResult>;
  /** Calls `callback` whenever main has a fresh response status (warnings, break-glass…). */
  onResponse(callback: (result: ResponseResult) => void): () => void;
}

export const BRIDGE_KEY = 'wardwatch';
