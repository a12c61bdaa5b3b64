// Which process holds a socket: /proc/<pid>/fd/* link to `socket:[inode]`.
// Reading every process's descriptors costs the most of a network poll, so it
// runs only when a socket is new, newest processes first (a new connection is
// most often a new process's), and stops once every socket asked about is found.
import { readdirSync, readlinkSync } from 'node:fs';

export interface SocketOwnersStats {
  scans: number;
  /** Descriptor links read in all scans. */
  linksRead: number;
}

export class SocketOwners {
  readonly stats: SocketOwnersStats = { scans: 0, linksRead: 0 };

  constructor(private readonly root = '/proc') {}

  /** pid of each inode that was found; inodes of sockets already closed are absent. */
  find(inodes: ReadonlySet<number>): Map<number, number> {
    const found = new Map<number, number>();
    if (inodes.size === 0) return found;
    this.stats.scans += 1;
    let pids: number[];
    try {
      pids = readdirSync(this.root)
        .filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57)
        .map(Number)
        .sort((a, b) => b - a);
    } catch {
      return found;
    }
    for (const pid of pids) {
      let fds: string[];
      try {
        fds = readdirSync(`${this.root}/${pid}/fd`);
      } catch {
        continue; // gone, or not ours to read
      }
      for (const fd of fds) {
        let link: string;
        try {
          link = readlinkSync(`${this.root}/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        this.stats.linksRead += 1;
        if (!link.startsWith('socket:[')) continue;
        const inode = Number(link.slice(8, -1));
        if (inodes.has(inode) && !found.has(inode)) {
          found.set(inode, pid);
          if (found.size === inodes.size) return found;
        }
      }
    }
    return found;
  }
}
