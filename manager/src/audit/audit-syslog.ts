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

export type SyslogTarget =
  { kind: 'off' } | { kind: 'udp'; host: string; port: number } | { kind: 'unix'; path: string };
export type SyslogOutcome = 'sent' | 'unreachable' | 'off';

const FACILITY_AUTHPRIV = 10;
const SEVERITY_NOTICE = 5;
const SEND_TIMEOUT_MS = 2_000;

/** Parses WARDWATCH_AUDIT_SYSLOG; undefined when it is not one of the three forms. */
export function parseSyslogTarget(text: string): SyslogTarget | undefined {
  if (text === 'off') return { kind: 'off' };
  if (text.startsWith('unix:')) {
    const path = text.slice('unix:'.length);
    return path.startsWith('/') ? { kind: 'unix', path } : undefined;
  }
  const udp = /^udp:\/\/([^:/\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(text);
  if (!udp) return undefined;
  const port = Number(udp[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { kind: 'udp', host: udp[1].replace(/^\[|\]$/g, ''), port };
}

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
