// Registers the tray's IPC handlers so that none runs unless the message comes
// from the tray's own page (main frame, exact file URL) and its arguments match
// the channel's schema; the answer is checked against the channel's schema too.
import type { z } from 'zod';

/** What an Electron IpcMainInvokeEvent tells us about the sender. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

/** The bit of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface InvokeChannel<A extends z.ZodType, R extends z.ZodType> {
  name: string;
  args: A;
  result: R;
}

export type IpcRejection = { channel: string; reason: 'sender' | 'arguments' | 'result'; detail: string };

export class IpcRejectedError extends Error {
  override readonly name = 'IpcRejectedError';
}

export class IpcGuard {
  private readonly registered: string[] = [];

  constructor(
    private readonly ipc: IpcMainLike,
    /** The one page allowed to call: the tray's renderer index.html as a file: URL. */
    private readonly allowedUrl: string,
    private readonly onRejected: (rejection: IpcRejection) => void,
  ) {}

  handle<A extends z.ZodType, R extends z.ZodType>(
    channel: InvokeChannel<A, R>,
    handler: (args: z.infer<A>) => Promise<z.infer<R>>,
  ): void {
    this.ipc.handle(channel.name, async (event, ...args) => {
      const sender = this.senderProblem(event);
      if (sender) this.reject({ channel: channel.name, reason: 'sender', detail: sender });
      const parsedArgs = channel.args.safeParse(args);
      if (!parsedArgs.success) {
        // Field paths only: the values may hold a maintenance code, which the log must not keep.
        const fields = parsedArgs.error.issues.map((issue) => issue.path.join('.') || '(all)').join(', ');
        this.reject({
          channel: channel.name,
          reason: 'arguments',
          detail: `${args.length} argument(s) not of the channel's shape at ${fields}`,
        });
      }
      const result = channel.result.safeParse(await handler(parsedArgs.data));
      if (!result.success)
        this.reject({ channel: channel.name, reason: 'result', detail: 'handler answered outside the channel schema' });
      return result.data;
    });
    this.registered.push(channel.name);
  }

  removeAll(): void {
    for (const name of this.registered.splice(0)) this.ipc.removeHandler(name);
  }

  private senderProblem(event: InvokeEventLike): string | null {
    const frame = event.senderFrame;
    if (!frame) return 'sender frame is gone';
    if (frame.parent) return `sub-frame ${frame.url} may not call`;
    // Compare without the fragment: an in-page #anchor does not change who is calling.
    const url = frame.url.split('#')[0];
    if (url !== this.allowedUrl) return `page ${frame.url} may not call`;
    return null;
  }

  private reject(rejection: IpcRejection): never {
    this.onRejected(rejection);
    // Renderer sees only the channel and reason; the detail stays in the main-process log.
    throw new IpcRejectedError(`${rejection.channel} refused (${rejection.reason})`);
  }
}
