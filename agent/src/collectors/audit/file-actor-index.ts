// Who changed which file, from the audit log: for each SYSCALL with PATH
// records (created, deleted, opened for writing, renamed from/to) the path is
// remembered with the process's executable and pid, so the file collector can
// name the actor when it emits. Needs an audit rule on the folder (agent
// README). Bounded (`maxEntries`; beyond it the least recently written tenth goes) and
// time-limited (`ttlMs`).
//
// Records are indexed as they stream in (SYSCALL, CWD and PATH of one event
// come in that order), so no event has to be complete — some kernels write no
// EOE. A relative name is resolved against CWD only when the syscall resolved
// it there: `unlinkat(dirfd, "f")` with a real directory fd is relative to that
// directory, which the record does not name, so it is counted and skipped.
import { posix } from 'node:path';
import type { FileActor, FileActorLookup } from '../files/file-actors';
import type { AuditFeed } from './audit-feed';
import { type AuditRecord, auditId } from './audit-record';

export interface FileActorIndexOptions {
  maxEntries?: number;
  ttlMs?: number;
  /** Read the log before a lookup unless it was read this recently. */
  readGapMs?: number;
  now?: () => number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface FileActorIndexStats {
  indexed: number;
  unresolved: number;
  lookups: number;
  hits: number;
}

interface Group {
  timeMs: number;
  exe: string;
  pid: number;
  skip: boolean;
  dirfdRelative: boolean;
  cwd?: string;
}

const AT_FDCWD = new Set(['ffffff9c', 'ffffffffffffff9c']);
// Syscalls taking directory fds, by audit arch: number → which of a0..a3 are dirfds.
const DIRFD_ARGS: Record<string, Record<number, readonly number[]>> = {
  c000003e: { 257: [0], 258: [0], 259: [0], 260: [0], 261: [0], 263: [0], 264: [0, 2], 265: [0, 2], 266: [1], 268: [0], 280: [0], 316: [0, 2], 437: [0], 452: [0] }, // x86_64
  c00000b7: { 56: [0], 34: [0], 33: [0], 54: [0], 35: [0], 38: [0, 2], 37: [0, 2], 36: [1], 53: [0], 88: [0], 276: [0, 2], 437: [0], 452: [0] }, // aarch64
};
const EXEC_SYSCALLS: Record<string, readonly number[]> = { c000003e: [59, 322], c00000b7: [221, 281] };
const MAX_OPEN_GROUPS = 64;

export class FileActorIndex implements FileActorLookup {
  readonly stats: FileActorIndexStats = { indexed: 0, unresolved: 0, lookups: 0, hits: 0 };
  private readonly byPath = new Map<string, FileActor>();
  private readonly groups = new Map<number, Group>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly feed: AuditFeed | undefined, private readonly options: FileActorIndexOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
  }

  get size(): number {
    return this.byPath.size;
  }

  /** The paths remembered, least recently written first. */
  paths(): IterableIterator<string> {
    return this.byPath.keys();
  }

  start(): void {
    if (!this.feed || this.unsubscribe) return;
    this.unsubscribe = this.feed.subscribe(this);
    try {
      this.feed.acquire();
    } catch (error) {
      // Never fatal for the file collector: its events go on without `process`.
      this.unsubscribe();
      this.unsubscribe = undefined;
      this.options.log?.('warn', `file actors: cannot read the audit log, process stays empty: ${(error as Error).message}`);
    }
  }

  stop(): void {
    if (!this.unsubscribe) return;
    this.unsubscribe();
    this.unsubscribe = undefined;
    this.feed?.release();
  }

  actorOf(path: string): FileActor | undefined {
    this.stats.lookups += 1;
    this.feed?.readIfOlderThan(this.options.readGapMs ?? 1);
    const actor = this.byPath.get(path);
    if (!actor || this.now() - actor.timeMs > this.ttlMs) return undefined;
    this.stats.hits += 1;
    return actor;
  }

  record(r: AuditRecord): void {
    if (r.type === 'SYSCALL') return this.syscall(r);
    const g = this.groups.get(r.serial);
    if (!g) return;
    if (r.type === 'EXECVE') g.skip = true; // the program's own PATH records, not a file change
    else if (r.type === 'CWD') g.cwd = r.fields.get('cwd');
    else if (r.type === 'PATH') this.path(g, r.fields);
    else if (r.type === 'EOE') this.groups.delete(r.serial);
  }

  private syscall(r: AuditRecord): void {
    const f = r.fields;
    const arch = f.get('arch') ?? '';
    const nr = Number(f.get('syscall'));
    const pid = auditId(f.get('pid'));
    const dirfds = DIRFD_ARGS[arch]?.[nr];
    this.groups.set(r.serial, {
      timeMs: r.timeMs,
      exe: f.get('exe') ?? '',
      pid: pid ?? 0,
      skip: f.get('success') !== 'yes' || pid === undefined || (EXEC_SYSCALLS[arch]?.includes(nr) ?? false),
      // Unknown arch or syscall: a relative name cannot be trusted to be relative to CWD.
      dirfdRelative: DIRFD_ARGS[arch] === undefined || (dirfds?.some((i) => !AT_FDCWD.has(f.get(`a${i}`) ?? '')) ?? false),
    });
    if (this.groups.size > MAX_OPEN_GROUPS) this.groups.delete(this.groups.keys().next().value!);
  }

  private path(g: Group, f: Map<string, string>): void {
    const name = f.get('name');
    const type = f.get('nametype');
    if (g.skip || !name || type === 'PARENT') return;
    let path: string;
    if (name.startsWith('/')) path = posix.resolve(name);
    else if (g.cwd?.startsWith('/') && !g.dirfdRelative) path = posix.resolve(g.cwd, name);
    else {
      this.stats.unresolved += 1;
      return;
    }
    this.byPath.delete(path); // re-insert: least recently written first
    this.byPath.set(path, { exe: g.exe, pid: g.pid, timeMs: g.timeMs });
    if (this.byPath.size > this.maxEntries) this.evictOldest();
    this.stats.indexed += 1;
  }

  /**
   * Drops the least recently written tenth at once: deleting one entry at a time from a
   * Map's front makes V8 step over its deleted slots again on every call (~7 µs each here).
   */
  private evictOldest(): void {
    const keep = Math.floor(this.maxEntries * 0.9);
    for (const key of this.byPath.keys()) {
      if (this.byPath.size <= keep) return;
      this.byPath.delete(key);
    }
  }
}
