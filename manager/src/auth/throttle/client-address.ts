// The address a sign-in comes from. X-Forwarded-For is believed only when the
// connection comes from a configured trusted proxy, and then read from the right:
// each trusted hop appended the address it saw, so the right-most address that is
// not itself a trusted proxy is the client; anything left of it was written by the
// client and is ignored. Without trusted proxies the socket's address is the client.
import { BlockList, isIP } from 'node:net';

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  /** Entries are addresses or CIDR ranges, validated by the config schema. */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address, prefix] = entry.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
    this.empty = entries.length === 0;
  }

  has(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** An IPv4 client seen on a dual-stack socket is written ::ffff:a.b.c.d; this gives a.b.c.d. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** The client's address from the socket's peer and the X-Forwarded-For header (one string or several). */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  proxies: TrustedProxies,
): string {
  let client = plainAddress(peer ?? 'unknown');
  if (proxies.empty || !proxies.has(client) || forwardedFor === undefined) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((hop) => plainAddress(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    // A malformed hop cannot be told apart from a forgery: stop at the last trusted proxy.
    if (isIP(hops[i]) === 0) return client;
    client = hops[i];
    if (!proxies.has(client)) return client;
  }
  return client;
}

/**
 * The key one source is limited by: the address, or for IPv6 its /64 — one host is
 * usually given a whole /64, and per-address limits would let it rotate through it.
 */
export function sourceKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
