// Reads a finished Linux auth log (/var/log/auth.log, /var/log/secure) through
// the agent's login collector, prints what it counted and, with --out, writes
// the logins as portable events for the offline scorer.
//   npx tsx scripts/import/auth-log/import-auth-log.ts --help
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { formatPortableLine } from '@wardwatch/shared';
import { eventToPortable } from '../../../agent/src/scoring/features/event-to-portable';
import { joinNegativeValues } from '../../../agent/src/scoring/offline/cli-args';
import { formatReplay, replayAuthLog } from './replay-auth-log';
import { runMain } from '../../lib/run-main';

const USAGE = `usage: npx tsx scripts/import/auth-log/import-auth-log.ts --input auth.log [options]
  --year <n>                 the year of the log's classic lines (they carry none): read as at the end of it
  --read-at <ISO time>       or the reader's clock, as the agent's (default now): a line more than a day
                             after it belongs to the year before (December lines read in January)
  --utc-offset-minutes <n>   the log's local time offset from UTC (default 0)
  --host <name>              the workstation the log is from, for the portable events (default: the file's name)
  --out <events.ndjson>      write the logins as portable events (the scorer's input)
  --help`;

async function main(argv: string[]): Promise<number> {
  const flags = ['input', 'year', 'read-at', 'utc-offset-minutes', 'host', 'out'];
  const { values } = parseArgs({
    args: joinNegativeValues(argv, new Set(flags)),
    options: {
      input: { type: 'string' },
      year: { type: 'string' },
      'read-at': { type: 'string' },
      'utc-offset-minutes': { type: 'string' },
      host: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.input) throw new Error('--input: the auth log to read');
  const readAt = readAtFlag(values.year, values['read-at']);
  const utcOffsetMinutes = Number(values['utc-offset-minutes'] ?? 0);
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60)
    throw new Error('--utc-offset-minutes: whole minutes from -840 to 840');
  const replay = await replayAuthLog(values.input, { readAt, utcOffsetMinutes });
  process.stdout.write(`${formatReplay(basename(values.input), replay)}\n`);
  if (values.out) {
    const host = values.host ?? basename(values.input, extname(values.input));
    const out = createWriteStream(values.out);
    let written = 0;
    for (const event of replay.events) {
      const mapped = eventToPortable(event, host);
      if (!('event' in mapped)) continue;
      written += 1;
      if (!out.write(`${formatPortableLine(mapped.event)}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    process.stdout.write(`${written} portable events written to ${values.out}\n`);
  }
  return 0;
}

function readAtFlag(year: string | undefined, readAt: string | undefined): number | undefined {
  if (year !== undefined && readAt !== undefined) throw new Error('--year or --read-at, not both');
  if (year !== undefined) {
    const y = Number(year);
    if (!Number.isInteger(y) || y < 1970 || y > 9999) throw new Error('--year: a year from 1970');
    return Date.UTC(y, 11, 31, 23, 59, 59);
  }
  if (readAt === undefined) return undefined;
  const ms = Date.parse(readAt);
  if (Number.isNaN(ms)) throw new Error('--read-at: an ISO-8601 time');
  return ms;
}

if (require.main === module) runMain('import-auth-log', main);
