// Adapts a live OS reader (journalctl, Get-WinEvent, log stream — each reports
// false from start() where its source does not exist) to a LoginSource.
import type { LoginSource, LoginSourceHandlers } from './login-source';

export interface OsReader {
  start(): boolean;
  stop(): void;
}

export class ReaderSource implements LoginSource {
  private reader: OsReader | null = null;

  constructor(
    readonly name: string,
    private readonly make: (handlers: LoginSourceHandlers) => OsReader,
  ) {}

  start(handlers: LoginSourceHandlers): Promise<void> {
    const reader = this.make(handlers);
    if (!reader.start()) return Promise.reject(new Error(`${this.name} is not available on this host`));
    this.reader = reader;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.reader?.stop();
    this.reader = null;
    return Promise.resolve();
  }
}
