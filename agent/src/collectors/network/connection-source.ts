// What a connection source reports: the outbound connections open now, each
// with the process that owns it (pid 0 and '' when the OS would not tell, e.g.
// it closed before it could be asked).

export interface OutboundConnection {
  /** Identifies this connection across polls (Linux: the socket inode). */
  key: string;
  protocol: 'tcp' | 'udp';
  remoteAddress: string;
  remotePort: number;
  pid: number;
  /** Executable path (or process name where only that is known). */
  process: string;
  /** Owner of the socket, for Event.user; '' when unknown. */
  user: string;
}

export interface ConnectionSnapshot {
  connections: OutboundConnection[];
  parseErrors: string[];
}

export interface ConnectionSource {
  readonly name: string;
  snapshot(): Promise<ConnectionSnapshot>;
}

/**
 * Outbound, not inbound: a connection whose local port is one this host
 * listens on was accepted from outside; any other was opened from here.
 */
export function isOutbound(localPort: number, listening: ReadonlySet<number>): boolean {
  return !listening.has(localPort);
}
