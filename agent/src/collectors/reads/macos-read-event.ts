// A patient file opened to be read on macOS: the Endpoint Security `open` event as
// `eslogger open` prints it (macOS 13 on), one JSON object per line:
//   {"time":"2026-12-06T09:00:01.123456789Z","event_type":10,
//    "process":{"audit_token":{"pid":812,"auid":501,"euid":501,…},
//               "executable":{"path":"/System/Applications/Preview.app/Contents/MacOS/Preview"},
//               "signing_id":"com.apple.Preview","is_platform_binary":true,…},
//    "event":{"open":{"fflag":1,"file":{"path":"/Users/Shared/PHI/icu/3/chart1.pdf",
//                                       "path_truncated":false,"stat":{"st_mode":33188,…}}}}}
// Kept: a regular file opened for reading and not writing (`fflag` FREAD without
// FWRITE). The person is the login behind the process (`auid`, unchanged through
// sudo, like Linux's); no login (AU_DEFAUDITID) or Apple's own indexers and backup
// (platform binaries, known by signing id, which a copy cannot claim) are no person's.
import { readJsonLine } from '../json-line';
import { posix } from 'node:path';
import { z } from 'zod';
import type { LineError } from '../command-line-reader';
import type { ReadAttempt } from './read-reporter';

const FREAD = 0x1;
const FWRITE = 0x2;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/** AU_DEFAUDITID: no login behind the process (launchd's daemons). */
const NO_AUDIT_USER = 4294967295;
const MAX_PATH_CHARS = 4_096;
/** Spotlight, Time Machine and Quick Look read every file in the folders they serve. */
const APPLE_INDEXERS: ReadonlySet<string> = new Set([
  'com.apple.mdworker_shared',
  'com.apple.mdworker',
  'com.apple.mds',
  'com.apple.mds_stores',
  'com.apple.backupd',
  'com.apple.quicklook.ThumbnailsAgent',
]);
/** The data volume, firmlinked to `/`: /System/Volumes/Data/Users/… is /Users/…. */
const DATA_VOLUME = '/System/Volumes/Data';

const eventSchema = z.object({
  time: z.string(),
  process: z.object({
    audit_token: z.object({ pid: z.number().int(), auid: z.number().int() }),
    executable: z.object({ path: z.string() }),
    signing_id: z.string().nullish(),
    is_platform_binary: z.boolean().optional(),
  }),
  event: z.object({
    open: z
      .object({
        fflag: z.number().int(),
        file: z.object({
          path: z.string(),
          path_truncated: z.boolean().optional(),
          stat: z.object({ st_mode: z.number().int() }).partial().optional(),
        }),
      })
      .optional(),
  }),
});

export type MacosReadResult =
  { kind: 'read'; read: ReadAttempt; uid: number | undefined } | { kind: 'ignored' } | LineError;

const IGNORED = { kind: 'ignored' } as const;
const error = (reason: string): LineError => ({ kind: 'error', reason });

/**
 * One line of `eslogger open`. The read's `user` is left for the caller to name from `uid`
 * (the login's uid; undefined where none is behind it).
 */
export function parseMacosReadEvent(json: string): MacosReadResult {
  const read = readJsonLine(eventSchema, json, 'macOS event');
  if ('error' in read) return error(read.error);
  const { time, process, event } = read.data;
  const open = event.open;
  if (!open) return IGNORED;
  if ((open.fflag & FREAD) === 0 || (open.fflag & FWRITE) !== 0) return IGNORED;
  const mode = open.file.stat?.st_mode;
  if (mode !== undefined && (mode & S_IFMT) !== S_IFREG) return IGNORED;
  if (open.file.path_truncated || open.file.path.length > MAX_PATH_CHARS)
    return error('macOS read event with a path over 4,096 characters');
  if (!open.file.path.startsWith('/')) return IGNORED;
  const timeMs = Date.parse(time);
  if (!Number.isFinite(timeMs)) return error('macOS read event with an unreadable time');
  const { auid, pid } = process.audit_token;
  const indexer = process.is_platform_binary === true && APPLE_INDEXERS.has(process.signing_id ?? '');
  const person = auid >= 0 && auid !== NO_AUDIT_USER && !indexer;
  return {
    kind: 'read',
    read: {
      path: dataVolumePath(posix.normalize(open.file.path)),
      timeMs,
      process: process.executable.path.slice(0, MAX_PATH_CHARS),
      pid,
      user: undefined,
      owner: '',
    },
    uid: person ? auid : undefined,
  };
}

function dataVolumePath(path: string): string {
  return path.startsWith(`${DATA_VOLUME}/`) ? path.slice(DATA_VOLUME.length) : path;
}
