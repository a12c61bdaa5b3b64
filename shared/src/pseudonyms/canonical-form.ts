// The canonical form of each kind of identifying value, so that one person,
// file or address gets one token whichever way a source happened to spell it,
// and so that the manager, recomputing a token for a candidate an officer types,
// arrives at the same bytes the agent hashed. Changing a rule here changes
// every token of a site: treat it like a key rotation.
import { isIP } from 'node:net';
import type { PseudonymKind } from './token-format';

/**
 * Account names without their domain, lower-cased: `HOSPITAL\Jones`,
 * `jones@hospital.local` and `jones` are the same person on Windows and on a
 * Linux workstation joined through sssd or winbind.
 */
export function canonicalUser(value: string): string {
  let name = value.normalize('NFC').trim();
  const backslash = name.lastIndexOf('\\');
  if (backslash >= 0) name = name.slice(backslash + 1);
  const at = name.indexOf('@');
  if (at > 0) name = name.slice(0, at);
  return name.toLowerCase();
}

const WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|\\\\|\/\/[^/])/;

/** True for `C:\…`, `C:/…` and UNC paths (`\\server\share`). */
export function isWindowsPath(value: string): boolean {
  return WINDOWS_PATH.test(value);
}

/**
 * Windows paths: backslashes, lower case (NTFS ignores case), no repeated or
 * trailing separators. POSIX paths keep their case (ext4 does not ignore it),
 * lose repeated and trailing slashes and `.` segments. `..` is kept: resolving
 * it needs the file system, and a traversal is itself worth seeing.
 */
export function canonicalPath(value: string): string {
  const path = value.normalize('NFC').trim();
  if (isWindowsPath(path)) {
    const unc = /^(?:\\\\|\/\/)/.test(path);
    const parts = path
      .replaceAll('/', '\\')
      .split('\\')
      .filter((part) => part !== '' && part !== '.');
    const joined = parts.join('\\').toLowerCase();
    if (unc) return `\\\\${joined}`;
    return parts.length === 1 ? `${joined}\\` : joined; // "c:" alone is the drive root
  }
  const absolute = path.startsWith('/');
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  return `${absolute ? '/' : ''}${parts.join('/')}`;
}

/**
 * The folder a path is in, in canonical form: the canonical path up to and including its
 * last separator (`\` for a Windows or UNC path, `/` otherwise). A file at the root gives
 * the root (`/`, `c:\`), a file on a share's top gives the share (`\\server\share\`), a
 * bare relative name gives '' (one folder for all of them). In OPRF mode a path's token is
 * keyed by its folder's PRF output (oprf-token.ts), so this, like canonicalPath, is part of
 * every path token of such a site.
 */
export function canonicalFolder(path: string): string {
  return folderOfCanonicalPath(canonicalPath(path));
}

/** canonicalFolder of a path already in canonical form. */
export function folderOfCanonicalPath(canonical: string): string {
  const separator = isWindowsPath(canonical) ? '\\' : '/';
  return canonical.slice(0, canonical.lastIndexOf(separator) + 1);
}

/**
 * IPv4 in dotted decimal; IPv6 compressed and lower-cased (RFC 5952) with an
 * IPv4-mapped address (`::ffff:10.0.0.1`) reduced to its IPv4 form and the zone
 * (`%eth0`) dropped. Anything that is not an address is trimmed and lower-cased.
 */
export function canonicalIp(value: string): string {
  const trimmed = value.trim().replace(/^\[(.*)\]$/, '$1');
  const address = trimmed.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return address;
  if (family === 6) {
    // The WHATWG URL parser serialises IPv6 hosts in the RFC 5952 form.
    const host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped) {
      const hi = parseInt(mapped[1], 16);
      const lo = parseInt(mapped[2], 16);
      return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
    }
    return host;
  }
  return trimmed.toLowerCase();
}

/**
 * The network an address is in: its /24 for IPv4 (`10.1.7.0/24`), its /64 for IPv6
 * (`2001:db8:0:7::/64`), from canonicalIp — so an IPv4-mapped IPv6 address is in its IPv4
 * network, and a zone or brackets change nothing. Undefined for a value that is not an address.
 * In OPRF mode an address's token is keyed by its network's PRF output (oprf-token.ts), so
 * this, like canonicalIp, is part of every address token of such a site.
 */
export function canonicalNetwork(value: string): string | undefined {
  const address = canonicalIp(value);
  switch (isIP(address)) {
    case 4:
      return `${address.slice(0, address.lastIndexOf('.'))}.0/24`;
    case 6: {
      // canonicalIp's IPv6 form is hex groups only, `::` standing for the zero groups left out.
      const [head, tail] = address.split('::');
      const left = head ? head.split(':') : [];
      const right = tail ? tail.split(':') : [];
      const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
      return `${canonicalIp(`${groups.slice(0, 4).join(':')}::`)}/64`;
    }
    default:
      return undefined;
  }
}

/** DNS names ignore case and a trailing dot. */
export function canonicalHost(value: string): string {
  return value.normalize('NFC').trim().replace(/\.$/, '').toLowerCase();
}

/** Device serial numbers: as the device reports them, trimmed, upper-cased (tools differ in case). */
export function canonicalDevice(value: string): string {
  return value.normalize('NFC').trim().toUpperCase();
}

export function canonicalForm(kind: PseudonymKind, value: string): string {
  switch (kind) {
    case 'user':
      return canonicalUser(value);
    case 'path':
      return canonicalPath(value);
    case 'ip':
      return canonicalIp(value);
    case 'host':
      return canonicalHost(value);
    case 'device':
      return canonicalDevice(value);
  }
}
