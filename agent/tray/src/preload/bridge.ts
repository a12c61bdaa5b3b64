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

export function createBridge(ipc: IpcRendererLike): Readonly<WardWatchBridge> {
  return Object.freeze({
    async getStatus() {
      return InvokeChannels.getStatus.result.parse(await ipc.invoke(InvokeChannels.getStatus.name));
    },
    async getRecentEvents() {
      return InvokeChannels.getRecentEvents.result.parse(await ipc.invoke(InvokeChannels.getRecentEvents.name));
    },
    onStatus(callback) {
      if (typeof callback !== 'function') throw new TypeError('onStatus needs a function');
      const listener = (_event: unknown, payload: unknown) => {
        const parsed = PushChannels.status.payload.safeParse(payload);
        if (parsed.success) callback(parsed.data);
      };
      ipc.on(PushChannels.status.name, listener);
      return () => {
        ipc.removeListener(PushChannels.status.name, listener);
      };
    },
  } satisfies WardWatchBridge);
}
