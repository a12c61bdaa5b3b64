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
// it there. `unlinkat(dirfd, "f")` with a real directory fd (rm -r, find
// -delete, Rust's remove_dir_all) is relative to a directory the record does not
// name: such a record is kept by its last name component and answers a lookup
// whose path ends with its relative name, if it is newer than what is known for
// the exact path and at most `relativeWindowMs` old; older, it still keeps the
// stale exact answer (say, the file's creator) from being given.
import { posix } from 'node:path';
import type { FileActor, FileActorLookup } from '../files/file-actors';
import type { AuditFeed } from './audit-feed';
import { type AuditRecord, auditId } from './audit-record';
import { namesRelativeToCwd } from './audit-syscalls';
import { openat2Reads, openForRead } from './open-for-read';

export interface FileActorIndexOptions {
  maxEntries?: number;
  ttlMs?: number;
  /** Read the log before a lookup unless it was read this recently. */
  readGapMs?: number;
  /** How long a record relative to a directory descriptor may name the actor of a path ending in its name. */
  relativeWindowMs?: number;
  now?: () => number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface FileActorIndexStats {
  indexed: number;
  /** PATH records relative to a directory descriptor, kept by name only. */
  relative: number;
  /** Relative names without a usable CWD. */
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

const EXEC_SYSCALLS: Record<string, readonly number[]> = { c000003e: [59, 322], c00000b7: [221, 281] };
const MAX_OPEN_GROUPS = 64;

export class FileActorIndex implements FileActorLookup {
  readonly stats: FileActorIndexStats = { indexed: 0, relative: 0, unresolved: 0, lookups: 0, hits: 0 };
  private readonly byPath = new Map<string, FileActor>();
  /** Records relative to a directory descriptor, by last name component. */
  private readonly byName = new Map<string, FileActor & { name: string }>();
  private readonly groups = new Map<number, Group>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly feed: AuditFeed | undefined,
    private readonly options: FileActorIndexOptions = {},
  ) {
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
      this.options.log?.(
        'warn',
        `file actors: cannot read the audit log, process stays empty: ${(error as Error).message}`,
      );
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
    const now = this.now();
    let actor = this.byPath.get(path);
    if (actor && now - actor.timeMs > this.ttlMs) actor = undefined;
    const relative = this.byName.get(posix.basename(path));
    if (
      relative &&
      relative.timeMs > (actor?.timeMs ?? Number.NEGATIVE_INFINITY) &&
      path.endsWith(`/${relative.name}`)
    ) {
      actor = now - relative.timeMs <= (this.options.relativeWindowMs ?? 5_000) ? relative : undefined;
    }
    if (actor) this.stats.hits += 1;
    return actor;
  }

  record(r: AuditRecord): void {
    if (r.type === 'SYSCALL') return this.syscall(r);
    const g = this.groups.get(r.serial);
    if (!g) return;
    if (r.type === 'EXECVE')
      g.skip = true; // the program's own PATH records, not a file change
    else if (r.type === 'CWD') g.cwd = r.fields.get('cwd');
    else if (r.type === 'OPENAT2') g.skip ||= openat2Reads(r);
    else if (r.type === 'PATH') this.path(g, r.fields);
    else if (r.type === 'EOE') this.groups.delete(r.serial);
  }

  private syscall(r: AuditRecord): void {
    const f = r.fields;
    const arch = f.get('arch') ?? '';
    const nr = Number(f.get('syscall'));
    const pid = auditId(f.get('pid'));
    this.groups.set(r.serial, {
      timeMs: r.timeMs,
      exe: f.get('exe') ?? '',
      pid: pid ?? 0,
      // A file opened only to be read was not changed by its reader (a read rule logs such opens).
      skip:
        f.get('success') !== 'yes' ||
        pid === undefined ||
        (EXEC_SYSCALLS[arch]?.includes(nr) ?? false) ||
        openForRead(r)?.flagsToCome === false,
      dirfdRelative: !namesRelativeToCwd(f),
    });
    if (this.groups.size > MAX_OPEN_GROUPS) this.groups.delete(this.groups.keys().next().value!);
  }

  private path(g: Group, f: Map<string, string>): void {
    const name = f.get('name');
    const type = f.get('nametype');
    if (g.skip || !name || type === 'PARENT') return;
    const actor = { exe: g.exe, pid: g.pid, timeMs: g.timeMs };
    if (name.startsWith('/')) this.remember(this.byPath, posix.resolve(name), actor);
    else if (g.dirfdRelative) {
      const relative = posix.normalize(name).replace(/\/+$/, '');
      if (relative.startsWith('..') || relative === '.') this.stats.unresolved += 1;
      else this.remember(this.byName, posix.basename(relative), { ...actor, name: relative });
      this.stats.relative += 1;
      return;
    } else if (g.cwd?.startsWith('/')) this.remember(this.byPath, posix.resolve(g.cwd, name), actor);
    else {
      this.stats.unresolved += 1;
      return;
    }
    this.stats.indexed += 1;
  }

  private remember<T>(map: Map<string, T>, key: string, value: T): void {
    map.delete(key); // re-insert: least recently written first
    map.set(key, value);
    if (map.size > this.maxEntries) evictOldest(map, Math.floor(this.maxEntries * 0.9));
  }
}

/**
 * Drops the least recently written entries down to `keep` at once: deleting one entry at a
 * time from a Map's front makes V8 step over its deleted slots again on every call (~7 µs each here).
 */
function evictOldest(map: Map<string, unknown>, keep: number): void {
  for (const key of map.keys()) {
    if (map.size <= keep) return;
    map.delete(key);
  }
}
