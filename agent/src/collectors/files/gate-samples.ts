// Entropy samples of just-written files taken by the ransomware gate, for the file
// collector to use instead of opening the file again. Where the gate marks a folder,
// every open there waits for the gate's answer, the agent's own opens too (answered by
// the addon's thread): the collector's sample then costs a permission event going to
// another thread and back, about a tenth of the agent's CPU at 1,000 writes/s. The gate
// already holds the written file open at FAN_CLOSE_WRITE (through an fd that raises no
// event), so it reads the collector's sample there too.
// A sample is used only when it is of the bytes the collector would read: taken at the
// offset the collector asks for, and of the same file unchanged since (inode, size,
// modification and change times equal to the collector's lstat). Otherwise the
// collector reads the file itself, as without the gate. Each sample is taken once; the
// oldest are forgotten beyond MAX_SAMPLES (files the collector never reports).

/** What identifies a file's content between the gate's fstat and the collector's lstat. */
export interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

interface Sample {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  from: number;
  entropy: number;
}

const MAX_SAMPLES = 1_024;

export class GateSamples {
  private readonly samples = new Map<string, Sample>();

  /**
   * The offset the collector would sample `path` from at `size` (its new content), or
   * undefined when it would not sample it: set by the file collector.
   */
  offsetFor: (path: string, size: number) => number | undefined = () => undefined;

  /** A sample read at `from` (rounded entropy, -1 when nothing was read) of the file as `identity` says. */
  put(path: string, identity: FileIdentity, from: number, entropy: number): void {
    this.samples.delete(path); // re-insert: the oldest is first
    this.samples.set(path, {
      ino: identity.ino,
      size: identity.size,
      mtimeMs: identity.mtimeMs,
      ctimeMs: identity.ctimeMs,
      from,
      entropy,
    });
    if (this.samples.size > MAX_SAMPLES) this.samples.delete(this.samples.keys().next().value!);
  }

  /** The entropy sampled at `from` if the file is still as it was then; undefined otherwise. */
  take(path: string, current: FileIdentity, from: number): number | undefined {
    const sample = this.samples.get(path);
    if (!sample) return undefined;
    this.samples.delete(path);
    const same =
      sample.from === from &&
      sample.ino === current.ino &&
      sample.size === current.size &&
      sample.mtimeMs === current.mtimeMs &&
      sample.ctimeMs === current.ctimeMs;
    return same ? sample.entropy : undefined;
  }

  get size(): number {
    return this.samples.size;
  }
}
