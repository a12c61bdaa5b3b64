// Which process touched a file, where the OS can tell. The file collector asks
// when it emits an event; an implementation answers from what it has already
// seen and never blocks (see ../audit/file-actor-index.ts for Linux audit).

export interface FileActor {
  /** Executable path of the responsible process. */
  exe: string;
  pid: number;
  /** When the OS recorded the operation (epoch ms). */
  timeMs: number;
}

export interface FileActorLookup {
  /** Called when the file collector starts / stops. */
  start(): void;
  stop(): void;
  /** The latest actor on this absolute path, if known and recent. */
  actorOf(path: string): FileActor | undefined;
}
