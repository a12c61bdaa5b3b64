// Outbound connections on Linux, read directly: /proc/net/tcp and tcp6 (and
// udp, udp6 when asked) every poll — a few small reads — and the owning process
// only for sockets not seen before (socket-owners.ts).
import { readFileSync, readlinkSync } from 'node:fs';
import { PasswdUserNames, type UserNames } from '../processes/user-names';
import { type ConnectionSnapshot, type ConnectionSource, isOutbound, type OutboundConnection } from './connection-source';
import { isUnspecified, type NetProtocol, type NetSocket, parseProcNet, TCP_ESTABLISHED, TCP_LISTEN, TCP_SYN_SENT } from './proc-net';
import { SocketOwners } from './socket-owners';

export interface ProcNetSourceOptions {
  root?: string;
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

  constructor(private readonly options: ProcNetSourceOptions = {}) {
    this.root = options.root ?? '/proc';
    this.users = options.users ?? new PasswdUserNames();
    this.owners = options.owners ?? new SocketOwners(this.root);
  }

  async snapshot(): Promise<ConnectionSnapshot> {
    return this.snapshotSync();
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
    const tcp = [...read('tcp', 'tcp'), ...read('tcp6', 'tcp')];
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
      connections.push({ key: String(s.inode), protocol: s.protocol, remoteAddress: s.remoteAddress, remotePort: s.remotePort, pid: owner.pid, process: owner.process, user: this.users.name(s.uid) });
    }
    this.known = next;
    return { connections, parseErrors };
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
  return sockets.filter((s) => (s.state === TCP_ESTABLISHED || s.state === TCP_SYN_SENT) && s.inode !== 0 && !isUnspecified(s.remoteAddress) && isOutbound(s.localPort, listening));
}

/** A connected UDP socket (connect(2) was called) has a remote address; a bound one only a local port. */
function outboundUdp(sockets: NetSocket[]): NetSocket[] {
  const bound = new Set(sockets.filter((s) => isUnspecified(s.remoteAddress)).map((s) => s.localPort));
  return sockets.filter((s) => s.remotePort !== 0 && s.inode !== 0 && !isUnspecified(s.remoteAddress) && isOutbound(s.localPort, bound));
}
