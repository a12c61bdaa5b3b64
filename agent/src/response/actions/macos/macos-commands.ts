// macOS command lines as argv arrays (program first), never a shell string. Builders throw
// on values that could be read as options or are not valid: callers check first.
import { refuseName } from '../account-guard';
import type { ParentLink } from '../process-tree';

export type Argv = readonly [string, ...string[]];

function checkUid(uid: number): string {
  if (!Number.isInteger(uid) || uid < 0) throw new Error('uid not valid');
  return String(uid);
}

export function checkMacName(name: string): string {
  const why = refuseName(name) ?? (name.includes('/') ? 'account name holds a /' : undefined);
  if (why) throw new Error(why);
  return name;
}

function checkDisk(id: string): string {
  if (!/^disk\d+(s\d+)?$/.test(id)) throw new Error('disk identifier not valid');
  return id;
}

/** Ends the user's GUI login session (every process launchd started in it). */
export const bootoutArgv = (uid: number): Argv => ['launchctl', 'bootout', `gui/${checkUid(uid)}`];
/**
 * Sleeps the display. It locks only where "require password after sleep or screen saver
 * begins" is on and set to immediately (the default on managed Macs; a profile sets it).
 */
export const displaySleepArgv = (): Argv => ['pmset', 'displaysleepnow'];
export const processTableArgv = (): Argv => ['ps', '-axo', 'pid=,ppid='];
export const killArgv = (signal: 'STOP' | 'KILL', pids: readonly number[]): Argv => {
  if (pids.length === 0 || pids.some((p) => !Number.isInteger(p) || p <= 1)) throw new Error('pid not valid');
  return ['kill', `-${signal}`, ...pids.map(String)];
};
/**
 * Appends `;DisabledUser;` to AuthenticationAuthority. `-create` would replace the whole
 * attribute, dropping the ShadowHash entry that holds the password: undo could not bring
 * the password back. `-append` / `-delete` of the one value are exact inverses.
 */
export const disableUserArgv = (name: string): Argv => [
  'dscl',
  '.',
  '-append',
  `/Users/${checkMacName(name)}`,
  'AuthenticationAuthority',
  ';DisabledUser;',
];
export const enableUserArgv = (name: string): Argv => [
  'dscl',
  '.',
  '-delete',
  `/Users/${checkMacName(name)}`,
  'AuthenticationAuthority',
  ';DisabledUser;',
];
export const listExternalDisksArgv = (): Argv => ['diskutil', 'list', 'external', 'physical'];
export const unmountDiskArgv = (disk: string): Argv => ['diskutil', 'unmountDisk', checkDisk(disk)];
export const mountReadOnlyArgv = (volume: string): Argv => ['diskutil', 'mount', 'readOnly', checkDisk(volume)];
export const mountDiskArgv = (disk: string): Argv => ['diskutil', 'mountDisk', checkDisk(disk)];

/** `ps -axo pid=,ppid=`: two numbers a line. */
export function parsePsTable(text: string): ParentLink[] {
  const out: ParentLink[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (m) out.push({ pid: Number(m[1]), ppid: Number(m[2]) });
  }
  return out;
}

/**
 * `diskutil list external physical`: a `/dev/disk4 (external, physical):` line per disk,
 * then its partitions, each row ending in its identifier (`disk4s1`).
 */
export function parseExternalDisks(text: string): { disk: string; volumes: string[] }[] {
  const out: { disk: string; volumes: string[] }[] = [];
  for (const line of text.split('\n')) {
    const head = /^\/dev\/(disk\d+) \(external/.exec(line);
    if (head) {
      out.push({ disk: head[1], volumes: [] });
      continue;
    }
    const id = /\s(disk\d+s\d+)\s*$/.exec(line);
    const current = out[out.length - 1];
    if (id && current && id[1].startsWith(`${current.disk}s`)) current.volumes.push(id[1]);
  }
  return out;
}
