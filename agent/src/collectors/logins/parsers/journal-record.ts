// One line of `journalctl -f -o json`: a JSON object per record. journald
// writes MESSAGE as an array of byte values when it is not valid UTF-8.
import { readJsonLine } from '../../json-line';
import { z } from 'zod';
import { matchAuthMessage } from './auth-message';
import { parseError, toParseResult } from './login-facts';
import type { ParseResult } from './parse-result';

const byteArray = z.array(z.number().int().min(0).max(255));

export const journalRecordSchema = z.looseObject({
  __REALTIME_TIMESTAMP: z.string().regex(/^\d{1,19}$/),
  MESSAGE: z.union([z.string(), byteArray, z.null()]).optional(),
  SYSLOG_IDENTIFIER: z.union([z.string(), byteArray]).optional(),
  _COMM: z.union([z.string(), byteArray]).optional(),
  _PID: z.string().optional(),
  _HOSTNAME: z.string().optional(),
});

export type JournalRecord = z.infer<typeof journalRecordSchema>;

function text(value: string | number[] | null | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
}

export function parseJournalRecord(json: string): ParseResult {
  const read = readJsonLine(journalRecordSchema, json, 'journal record');
  return 'error' in read ? parseError(read.error) : parseJournalFields(read.data);
}

/** The part shared with anything that already holds a decoded record. */
export function parseJournalFields(record: JournalRecord): ParseResult {
  const message = text(record.MESSAGE);
  if (message === '') return { kind: 'ignored' };
  const program = text(record.SYSLOG_IDENTIFIER) || text(record._COMM);
  // µs since the epoch; dividing in floating point keeps sub-ms precision harmlessly.
  const timeMs = Math.floor(Number(record.__REALTIME_TIMESTAMP) / 1000);
  const raw = `${program}${record._PID ? `[${record._PID}]` : ''}: ${message}`;
  const pid = record._PID && /^\d{1,10}$/.test(record._PID) ? Number(record._PID) : undefined;
  return toParseResult(matchAuthMessage(program, message), timeMs, raw, {
    host: record._HOSTNAME ?? '',
    program,
    pid,
  });
}
