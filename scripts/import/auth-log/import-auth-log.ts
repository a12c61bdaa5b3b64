// Reads finished Linux auth logs (/var/log/auth.log, /var/log/secure) through
// the agent's login collector, prints what it counted per log and the incidents
// the manager would open across them and, with --out, writes the logins as
// portable events for the offline scorer.
//   npx tsx scripts/import/auth-log/import-auth-log.ts --help
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { formatPortableLine } from '@wardwatch/shared';
import { eventToPortable } from '../../../agent/src/scoring/features/event-to-portable';
import { joinNegativeValues } from '../../../agent/src/scoring/offline/cli-args';
import { formatReplay, replayAuthLog } from './replay-auth-log';
import { fleetIncidents, formatIncidents, type WorkstationLog } from './fleet-incidents';
import { runMain } from '../../lib/run-main';

const USAGE = `usage: npx tsx scripts/import/auth-log/import-auth-log.ts --input auth.log [--input other.log …] [options]
  --input <file>             an auth log; several: one per workstation (named by its file), and the incidents
                             the manager would open across them
  --year <n>                 the year of the log's classic lines (they carry none): read as at the end of it
  --read-at <ISO time>       or the reader's clock, as the agent's (default now): a line more than a day
                             after it belongs to the year before (December lines read in January)
  --utc-offset-minutes <n>   the log's local time offset from UTC (default 0)
  --host <name>              the workstation of a single log (default: the file's name)
  --out <events.ndjson>      write the logins as portable events (the scorer's input)
  --help`;

async function main(argv: string[]): Promise<number> {
  const flags = ['input', 'year', 'read-at', 'utc-offset-minutes', 'host', 'out'];
  const { values } = parseArgs({
    args: joinNegativeValues(argv, new Set(flags)),
    options: {
      input: { type: 'string', multiple: true },
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
  const inputs = values.input ?? [];
  if (inputs.length === 0) throw new Error('--input: the auth log to read');
  if (values.host !== undefined && inputs.length > 1)
    throw new Error('--host names one log: with several, each is its file');
  const hosts = inputs.map((path) => values.host ?? basename(path, extname(path)));
  const twice = hosts.find((host, i) => hosts.indexOf(host) !== i);
  if (twice) throw new Error(`two logs named ${twice}: each workstation's log needs a file name of its own`);
  const readAt = readAtFlag(values.year, values['read-at']);
  const utcOffsetMinutes = Number(values['utc-offset-minutes'] ?? 0);
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60)
    throw new Error('--utc-offset-minutes: whole minutes from -840 to 840');
  const logs: WorkstationLog[] = [];
  for (const [i, path] of inputs.entries()) {
    const replay = await replayAuthLog(path, { readAt, utcOffsetMinutes });
    process.stdout.write(`${formatReplay(basename(path), replay)}\n`);
    logs.push({ host: hosts[i], events: replay.events });
  }
  process.stdout.write(`${formatIncidents(fleetIncidents(logs), logs.length)}\n`);
  if (values.out) {
    const out = createWriteStream(values.out);
    let written = 0;
    for (const { host, events } of logs)
      for (const event of events) {
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
