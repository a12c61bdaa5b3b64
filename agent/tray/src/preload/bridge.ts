// The object the preload exposes as window.wardwatch, built from an
// ipcRenderer-shaped interface so it can be tested outside Electron (and is
// the same code the browser test runs). Answers and pushes are checked against
// the channel schemas here as well, so a bug in main cannot hand the page
// something of another shape; the Electron event never reaches the page.
import { InvokeChannels, PushChannels, type WardWatchBridge } from '../common/ipc-channels';

/** The bits of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/** Subscribes `callback` to a push channel, passing on only payloads of the channel's schema. */
function subscribe<T>(
  ipc: IpcRendererLike,
  channel: { name: string; payload: { safeParse(value: unknown): { success: true; data: T } | { success: false } } },
  callback: (value: T) => void,
): () => void {
  if (typeof callback !== 'function') throw new TypeError('a push subscription needs a function');
  const listener = (_event: unknown, payload: unknown) => {
    const parsed = channel.payload.safeParse(payload);
    if (parsed.success) callback(parsed.data);
  };
  ipc.on(channel.name, listener);
  return () => {
    ipc.removeListener(channel.name, listener);
  };
}

export function createBridge(ipc: IpcRendererLike): Readonly<WardWatchBridge> {
  const { getResponse, declareBreakGlass, endBreakGlass, startMaintenance, endMaintenance, undo, openSealed } =
    InvokeChannels;
  return Object.freeze({
    async getStatus() {
      return InvokeChannels.getStatus.result.parse(await ipc.invoke(InvokeChannels.getStatus.name));
    },
    async getRecentEvents() {
      return InvokeChannels.getRecentEvents.result.parse(await ipc.invoke(InvokeChannels.getRecentEvents.name));
    },
    onStatus(callback) {
      return subscribe(ipc, PushChannels.status, callback);
    },
    async getResponse() {
      return getResponse.result.parse(await ipc.invoke(getResponse.name));
    },
    // The form's fields go as one plain object; main checks them against the request schema.
    async declareBreakGlass(request) {
      return declareBreakGlass.result.parse(await ipc.invoke(declareBreakGlass.name, request));
    },
    async endBreakGlass() {
      return endBreakGlass.result.parse(await ipc.invoke(endBreakGlass.name));
    },
    async startMaintenance(request) {
      return startMaintenance.result.parse(await ipc.invoke(startMaintenance.name, request));
    },
    async endMaintenance() {
      return endMaintenance.result.parse(await ipc.invoke(endMaintenance.name));
    },
    async undo(request) {
      return undo.result.parse(await ipc.invoke(undo.name, request));
    },
    async openSealed(request) {
      return openSealed.result.parse(await ipc.invoke(openSealed.name, request));
    },
    onResponse(callback) {
      return subscribe(ipc, PushChannels.response, callback);
    },
  } satisfies WardWatchBridge);
}
