// chokidar (atomic off) reports a rename as `unlink` of the old path and `add`
// of the new one. A delete is held back for a short window; an add of the same
// size (or, when the old size is unknown, the same file name) within it turns
// the pair into one rename. Otherwise the delete is released as a delete.

export interface PendingDelete {
  path: string;
  size: number | null;
  at: number;
}

export interface RenamePairerOptions {
  windowMs: number;
  onDelete(pending: PendingDelete): void;
}

export class RenamePairer {
  private readonly pending: { entry: PendingDelete; timer: NodeJS.Timeout }[] = [];

  constructor(private readonly options: RenamePairerOptions) {}

  deleted(path: string, size: number | null, at: number): void {
    const entry: PendingDelete = { path, size, at };
    const timer = setTimeout(() => this.release(entry), this.options.windowMs);
    this.pending.push({ entry, timer });
  }

  /** The old path if this add completes a rename, else null. */
  added(path: string, size: number): string | null {
    const name = baseName(path);
    const index = this.pending.findIndex(({ entry }) =>
      entry.size !== null ? entry.size === size : baseName(entry.path) === name,
    );
    if (index < 0) return null;
    const [{ entry, timer }] = this.pending.splice(index, 1);
    clearTimeout(timer);
    return entry.path;
  }

  /** Releases every held delete now (on stop). */
  flush(): void {
    for (const { entry, timer } of this.pending.splice(0)) {
      clearTimeout(timer);
      this.options.onDelete(entry);
    }
  }

  private release(entry: PendingDelete): void {
    const index = this.pending.findIndex((p) => p.entry === entry);
    if (index < 0) return;
    this.pending.splice(index, 1);
    this.options.onDelete(entry);
  }
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
