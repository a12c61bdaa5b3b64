// What a process source reports about one running process, and the interface
// each OS source implements (Linux /proc, systeminformation elsewhere).

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** When the process started (ms since the epoch); with pid, it identifies a process across pid reuse. */
  startTimeMs: number;
  uid?: number;
  /** Account name, or `uid:<n>` when it has none. */
  user: string;
  /** Path of the executable; '' when the OS will not tell. */
  executable: string;
  /** Arguments as the process received them, unredacted (redaction happens when the event is built). */
  argv: readonly string[];
  /** A path that opens the running image even if its file was replaced (Linux `/proc/<pid>/exe`). */
  imagePath?: string;
}

export interface ProcessSource {
  readonly name: string;
  /** Every user-space process running now. */
  snapshot(): Promise<ProcessInfo[]>;
}

export function processKey(info: Pick<ProcessInfo, 'pid' | 'startTimeMs'>): string {
  return `${info.pid}:${info.startTimeMs}`;
}
