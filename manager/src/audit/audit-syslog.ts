// Sends each signed checkpoint to syslog (RFC 5424, facility authpriv, severity
// notice), so that a copy sits on a log host the database administrator does not
// control. WARDWATCH_AUDIT_SYSLOG picks the target: `udp://host:port` (default
// udp://127.0.0.1:514), `unix:/dev/log` (a stream socket; a datagram-only /dev/log,
// as rsyslog and journald make it, cannot be reached from Node and is reported
// unreachable), or `off`. An unreachable syslog never stops a checkpoint: the file
// still has it, and the status and log say syslog did not.
import { createSocket } from 'node:dgram';
import { hostname } from 'node:os';
import { connect } from 'node:net';
import type { SyslogTarget } from '../config/syslog-target';

export type SyslogOutcome = 'sent' | 'unreachable' | 'off';

const FACILITY_AUTHPRIV = 10;
const SEVERITY_NOTICE = 5;
const SEND_TIMEOUT_MS = 2_000;

export function syslogLine(message: string, timeMs: number): string {
  const pri = FACILITY_AUTHPRIV * 8 + SEVERITY_NOTICE;
  return `<${pri}>1 ${new Date(timeMs).toISOString()} ${hostname() || '-'} wardwatch-manager ${process.pid} audit-checkpoint - ${message}`;
}

export class SyslogSender {
  constructor(readonly target: SyslogTarget) {}

  /** Sends one line; resolves with what happened, never rejects. */
  send(line: string): Promise<SyslogOutcome> {
    const target = this.target;
    if (target.kind === 'off') return Promise.resolve('off');
    if (target.kind === 'udp') return sendUdp(target.host, target.port, line);
    return sendUnixStream(target.path, line);
  }
}

function sendUdp(host: string, port: number, line: string): Promise<SyslogOutcome> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const done = (outcome: SyslogOutcome): void => {
      socket.close();
      resolve(outcome);
    };
    socket.once('error', () => done('unreachable'));
    socket.send(Buffer.from(line), port, host, (error) => done(error ? 'unreachable' : 'sent'));
  });
}

function sendUnixStream(path: string, line: string): Promise<SyslogOutcome> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const timer = setTimeout(() => finish('unreachable'), SEND_TIMEOUT_MS);
    let settled = false;
    function finish(outcome: SyslogOutcome): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    }
    socket.once('error', () => finish('unreachable'));
    // Octet-counting framing (RFC 6587), which stream syslog listeners accept.
    socket.once('connect', () => socket.end(`${Buffer.byteLength(line)} ${line}`, () => finish('sent')));
  });
}
