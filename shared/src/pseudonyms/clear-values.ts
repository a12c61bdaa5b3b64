// The few identifying-looking values that leave a workstation in clear (the agent
// leaves them as they are; the manager's lookup answers them as they are), because
// they name software or the machine itself, never a person (docs/privacy.md):
// - accounts that belong to the operating system (root, SYSTEM, service accounts):
//   "privilege use as root" is the signal, and no person is called root;
// - loopback and unspecified addresses: the same on every machine;
// - paths under the folders where the operating system and installed software
//   live (/usr/bin, C:\Windows, C:\Program Files …), except their user-writable
//   corners (Temp, Tasks, spool …): "rundll32.exe" or "/usr/bin/ssh" name a tool,
//   and seeing them lets an analyst spot credential dumping without re-identifying
//   anyone. A file someone dropped into Temp keeps its token.
import { isIP } from 'node:net';
import { canonicalHost, canonicalIp, canonicalPath, canonicalUser, isWindowsPath } from './canonical-form';

const SYSTEM_ACCOUNTS = new Set([
  'root',
  'system',
  'local service',
  'network service',
  'localservice',
  'networkservice',
  'nobody',
]);

/** The canonical account name when it belongs to the OS, else undefined. */
export function clearAccount(user: string): string | undefined {
  const name = canonicalUser(user);
  return SYSTEM_ACCOUNTS.has(name) ? name : undefined;
}

/** Loopback and unspecified addresses, canonical; else undefined. */
export function clearAddress(value: string): string | undefined {
  const ip = canonicalIp(value);
  if (isIP(ip) === 4) return ip.startsWith('127.') || ip === '0.0.0.0' ? ip : undefined;
  if (isIP(ip) === 6) return ip === '::1' || ip === '::' ? ip : undefined;
  return undefined;
}

export function clearHost(value: string): string | undefined {
  const host = canonicalHost(value);
  return host === 'localhost' ? host : clearAddress(host);
}

const POSIX_SYSTEM_ROOTS = [
  '/usr/bin/',
  '/usr/sbin/',
  '/bin/',
  '/sbin/',
  '/usr/lib/',
  '/usr/lib64/',
  '/usr/libexec/',
  '/lib/',
  '/lib64/',
  '/usr/local/bin/',
  '/usr/local/sbin/',
  '/System/',
  '/Applications/',
];
const WINDOWS_SYSTEM_ROOT = /^[a-z]:\\(?:windows|program files|program files \(x86\))\\/;
/** User-writable folders inside system folders: what lands there was chosen by someone. */
const WRITABLE_SEGMENTS = new Set([
  'temp',
  'tmp',
  'tasks',
  'tracing',
  'spool',
  'debug',
  'users',
  'home',
  'appdata',
  'downloads',
  'desktop',
  'documents',
]);
const MAX_CLEAR_PATH = 260;
const PRINTABLE = /^[\x20-\x7e]+$/;

/** The path itself when it lies under a system software folder, else undefined. */
export function clearSystemPath(path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed.length > MAX_CLEAR_PATH || !PRINTABLE.test(trimmed)) return undefined;
  const canonical = canonicalPath(trimmed);
  const windows = isWindowsPath(trimmed);
  const underRoot = windows
    ? WINDOWS_SYSTEM_ROOT.test(canonical)
    : POSIX_SYSTEM_ROOTS.some((root) => canonical.startsWith(root));
  if (!underRoot) return undefined;
  const segments = canonical.toLowerCase().split(windows ? '\\' : '/');
  if (segments.some((segment) => WRITABLE_SEGMENTS.has(segment) || segment === '..')) return undefined;
  return canonical;
}
