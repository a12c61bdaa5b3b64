// Splits a syslog line into time, host, program, pid and message. Two header
// forms are read: the classic BSD one (`Nov 22 10:11:12 host prog[pid]: msg`,
// no year, local time) and the RFC 3339 one rsyslog writes with
// `RSYSLOG_FileFormat` (`2026-11-22T10:11:12.123456+01:00 host prog[pid]: msg`).

export interface SyslogContext {
  /** Year of classic-form lines, which carry none. */
  year: number;
  /** Offset of the log's local time from UTC; when omitted the machine's own zone is used. */
  utcOffsetMinutes?: number;
  /**
   * The reader's clock. When given, a classic-form time more than a day ahead
   * of it belongs to the year before (a December line read in January).
   */
  nowMs?: number;
}

const DAY_MS = 86_400_000;

export interface SyslogHeader {
  timeMs: number;
  host: string;
  /** Program name as tagged, with a stray `]` (gdm-password]) removed. */
  program: string;
  pid?: number;
  message: string;
}

export type HeaderResult =
  { kind: 'header'; header: SyslogHeader } | { kind: 'no-tag'; rest: string } | { kind: 'error'; reason: string };

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

const CLASSIC = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\S+) ([\s\S]*)$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2}) (\S+) ([\s\S]*)$/;
// `prog[pid]: `, `prog: `, `sshd(pam_unix)[pid]: `, and gdm's odd `gdm-password]: `.
const TAG = /^([^\s[\]:]{1,64}(?:\([^\s)]{1,32}\))?)\]?(?:\[(\d{1,10})\])?: ?([\s\S]*)$/;

function validClock(h: number, mi: number, s: number): boolean {
  return h < 24 && mi < 60 && s < 61;
}

function classicTime(m: RegExpExecArray, ctx: SyslogContext): number {
  const t = classicTimeInYear(m, ctx, ctx.year);
  if (ctx.nowMs !== undefined && t > ctx.nowMs + DAY_MS) return classicTimeInYear(m, ctx, ctx.year - 1);
  return t;
}

function classicTimeInYear(m: RegExpExecArray, ctx: SyslogContext, year: number): number {
  const month = MONTHS[m[1]];
  const day = Number(m[2]);
  const [h, mi, s] = [Number(m[3]), Number(m[4]), Number(m[5])];
  if (month === undefined || day < 1 || day > 31 || !validClock(h, mi, s)) return Number.NaN;
  if (ctx.utcOffsetMinutes !== undefined) return Date.UTC(year, month, day, h, mi, s) - ctx.utcOffsetMinutes * 60_000;
  return new Date(year, month, day, h, mi, s).getTime();
}

function rfc3339Time(m: RegExpExecArray): number {
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || !validClock(h, mi, s)) return Number.NaN;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const zone = m[8];
  let offset = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    offset = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * (digits[0] === '-' ? -1 : 1);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
}

export function parseSyslogHeader(line: string, ctx: SyslogContext): HeaderResult {
  let timeMs: number;
  let host: string;
  let rest: string;
  const classic = CLASSIC.exec(line);
  if (classic) {
    timeMs = classicTime(classic, ctx);
    host = classic[6]!;
    rest = classic[7]!;
  } else {
    const iso = RFC3339.exec(line);
    if (!iso) return { kind: 'error', reason: 'not a syslog line (no timestamp and host)' };
    timeMs = rfc3339Time(iso);
    host = iso[9]!;
    rest = iso[10]!;
  }
  if (!Number.isFinite(timeMs)) return { kind: 'error', reason: 'invalid timestamp' };
  const tag = TAG.exec(rest);
  if (!tag) return { kind: 'no-tag', rest };
  const pid = tag[2] === undefined ? undefined : Number(tag[2]);
  return { kind: 'header', header: { timeMs, host, program: tag[1], pid, message: tag[3] } };
}
