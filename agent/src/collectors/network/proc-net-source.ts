// Outbound connections on Linux, read directly: /proc/net/tcp and tcp6 (and
// udp, udp6 when asked), and the owning process only for sockets not seen
// before (socket-owners.ts). Reading the TCP tables walks the kernel's socket
// hash tables (~4 ms each here, more on a busy host), so they are read only when
// the TCP ActiveOpens counter of /proc/net/snmp (every connect(2), IPv4 and
// IPv6; one tiny read) moved since the last poll: an idle workstation costs
// almost nothing, and no new outbound TCP connection can be missed by it.
import { readFileSync, readlinkSync } from 'node:fs';
import { PasswdUserNames, type UserNames } from '../user-names';
import {
  type ConnectionSnapshot,
  type ConnectionSource,
  isOutbound,
  type OutboundConnection,
} from './connection-source';
import {
  isUnspecified,
  type NetProtocol,
  type NetSocket,
  parseProcNet,
  TCP_ESTABLISHED,
  TCP_LISTEN,
  TCP_SYN_SENT,
} from './proc-net';
import { SocketOwners } from './socket-owners';

export interface ProcNetSourceOptions {
  root?: string;
  /** Read the TCP tables every poll, ignoring ActiveOpens (the benchmark's comparison). */
  alwaysReadTcp?: boolean;
  udp?: boolean;
  users?: UserNames;
  owners?: SocketOwners;
}

interface Owner {
  pid: number;
  process: string;
}

export class ProcNetSource implements ConnectionSource {
  readonly name = 'procfs';
  readonly owners: SocketOwners;
  private readonly root: string;
  private readonly users: UserNames;
  private known = new Map<number, Owner>();
  private lastActiveOpens: number | undefined;
  private lastTcp: NetSocket[] = [];
  /** TCP tables read, and polls that skipped them because no connection was opened. */
  readonly tcpReads = { read: 0, skipped: 0 };

  constructor(private readonly options: ProcNetSourceOptions = {}) {
    this.root = options.root ?? '/proc';
    this.users = options.users ?? new PasswdUserNames();
    this.owners = options.owners ?? new SocketOwners(this.root);
  }

  /** Reads synchronously (small procfs/sysfs files, tens of µs); a Promise for the source interface. */
  snapshot(): Promise<ConnectionSnapshot> {
    try {
      return Promise.resolve(this.snapshotSync());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  snapshotSync(): ConnectionSnapshot {
    const parseErrors: string[] = [];
    const read = (file: string, protocol: NetProtocol): NetSocket[] => {
      let text: string;
      try {
        text = readFileSync(`${this.root}/net/${file}`, 'latin1');
      } catch {
        return []; // no IPv6 (or no UDP table) on this host
      }
      const result = parseProcNet(text, protocol);
      parseErrors.push(...result.errors);
      return result.sockets;
    };
    const activeOpens = this.options.alwaysReadTcp ? undefined : this.activeOpens();
    let tcp: NetSocket[];
    if (activeOpens !== undefined && activeOpens === this.lastActiveOpens) {
      tcp = this.lastTcp;
      this.tcpReads.skipped += 1;
    } else {
      tcp = [...read('tcp', 'tcp'), ...read('tcp6', 'tcp')];
      this.tcpReads.read += 1;
    }
    this.lastActiveOpens = activeOpens;
    this.lastTcp = tcp;
    const udp = this.options.udp ? [...read('udp', 'udp'), ...read('udp6', 'udp')] : [];
    const candidates = [...outboundTcp(tcp), ...outboundUdp(udp)];

    const fresh = new Set(candidates.filter((s) => !this.known.has(s.inode)).map((s) => s.inode));
    const found = this.owners.find(fresh);
    const next = new Map<number, Owner>();
    const connections: OutboundConnection[] = [];
    for (const s of candidates) {
      const pid = found.get(s.inode);
      const owner = this.known.get(s.inode) ?? { pid: pid ?? 0, process: pid ? this.processOf(pid) : '' };
      next.set(s.inode, owner);
      connections.push({
        key: String(s.inode),
        protocol: s.protocol,
        remoteAddress: s.remoteAddress,
        remotePort: s.remotePort,
        pid: owner.pid,
        process: owner.process,
        user: this.users.name(s.uid),
      });
    }
    this.known = next;
    return { connections, parseErrors };
  }

  /** Tcp ActiveOpens of /proc/net/snmp; undefined when it cannot be read (then the tables are read every poll). */
  private activeOpens(): number | undefined {
    let text: string;
    try {
      text = readFileSync(`${this.root}/net/snmp`, 'latin1');
    } catch {
      return undefined;
    }
    return parseActiveOpens(text);
  }

  private processOf(pid: number): string {
    try {
      return readlinkSync(`${this.root}/${pid}/exe`).replace(/ \(deleted\)$/, '');
    } catch {
      try {
        return readFileSync(`${this.root}/${pid}/comm`, 'utf8').trim();
      } catch {
        return '';
      }
    }
  }
}

function outboundTcp(sockets: NetSocket[]): NetSocket[] {
  const listening = new Set(sockets.filter((s) => s.state === TCP_LISTEN).map((s) => s.localPort));
  return sockets.filter(
    (s) =>
      (s.state === TCP_ESTABLISHED || s.state === TCP_SYN_SENT) &&
      s.inode !== 0 &&
      !isUnspecified(s.remoteAddress) &&
      isOutbound(s.localPort, listening),
  );
}

/** A connected UDP socket (connect(2) was called) has a remote address; a bound one only a local port. */
function outboundUdp(sockets: NetSocket[]): NetSocket[] {
  const bound = new Set(sockets.filter((s) => isUnspecified(s.remoteAddress)).map((s) => s.localPort));
  return sockets.filter(
    (s) => s.remotePort !== 0 && s.inode !== 0 && !isUnspecified(s.remoteAddress) && isOutbound(s.localPort, bound),
  );
}

/** `Tcp:` header line then `Tcp:` values line; the value under `ActiveOpens`. */
export function parseActiveOpens(snmp: string): number | undefined {
  const lines = snmp.split('\n').filter((l) => l.startsWith('Tcp:'));
  if (lines.length < 2) return undefined;
  const names = lines[0].split(' ');
  const values = lines[1].split(' ');
  const at = names.indexOf('ActiveOpens');
  const value = at > 0 ? Number(values[at]) : NaN;
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
