// Login-parser throughput: ~200k mixed records (Linux auth-log lines, journald
// JSON, Windows Security events, macOS ndjson), built from the recorded-style
// fixtures with varied pids and ports. Each parser is timed against a baseline
// over the same lines — one plain regex test for syslog text, JSON.parse for
// the JSON formats — so the ratio says what the recognising costs.
// Run: npx tsx scripts/bench/login-parsers.bench.ts [total-lines]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseJournalRecord,
  parseLinuxAuthLine,
  parseMacosLogRecord,
  parseWindowsSecurityEvent,
  type ParseResult,
} from '../../agent/src/collectors/logins/parsers';

const fixtures = join(__dirname, '../../agent/src/collectors/logins/parsers/fixtures');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8').split('\n').filter(Boolean);

const total = Number(process.argv[2] ?? 200_000);
// A hospital auth log is mostly syslog text; the JSON formats get a smaller share.
const shares = { linux: 0.55, journal: 0.2, windows: 0.15, macos: 0.1 };

function vary(lines: string[], count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const line = lines[i % lines.length];
    // Change pids and ports so no two neighbouring lines are identical strings.
    out.push(
      line.replace(/\[(\d+)\]/, `[${1000 + (i % 50_000)}]`).replace(/port (\d+)/, `port ${1024 + (i % 60_000)}`),
    );
  }
  return out;
}

interface Row {
  name: string;
  lines: string[];
  parse: (l: string) => ParseResult;
  baseline: (l: string) => unknown;
  baselineName: string;
}

const ctx = { year: 2026, utcOffsetMinutes: 0 };
const plainRegex = /sshd|sudo|pam_unix|login|su\[/;
const rows: Row[] = [
  {
    name: 'linux auth line',
    lines: vary([...read('linux-auth.log'), ...read('linux-auth-malformed.log')], Math.round(total * shares.linux)),
    parse: (l) => parseLinuxAuthLine(l, ctx),
    baseline: (l) => plainRegex.test(l),
    baselineName: 'regex test',
  },
  {
    name: 'journald json',
    lines: vary([...read('journal.ndjson'), ...read('journal-malformed.ndjson')], Math.round(total * shares.journal)),
    parse: parseJournalRecord,
    baseline: safeJson,
    baselineName: 'JSON.parse',
  },
  {
    name: 'windows event',
    lines: vary(
      [...read('windows-security.ndjson'), ...read('windows-security-malformed.ndjson')],
      Math.round(total * shares.windows),
    ),
    parse: parseWindowsSecurityEvent,
    baseline: safeJson,
    baselineName: 'JSON.parse',
  },
  {
    name: 'macos ndjson',
    lines: vary([...read('macos-log.ndjson'), ...read('macos-log-malformed.ndjson')], Math.round(total * shares.macos)),
    parse: parseMacosLogRecord,
    baseline: safeJson,
    baselineName: 'JSON.parse',
  },
];

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function time(lines: string[], fn: (l: string) => unknown): number {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (const line of lines) if (fn(line)) sink += 1;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (sink < 0) console.log(sink); // keeps the loop from being optimised away
  return ms;
}

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US').padStart(11);

console.log(`login parsers, ${total.toLocaleString('en-US')} mixed lines, node ${process.version}\n`);
console.log(
  `${'format'.padEnd(16)} ${'lines'.padStart(8)} ${'parser/s'.padStart(11)} ${'baseline/s'.padStart(11)}  baseline     ratio  logins errors`,
);
let allLines = 0;
let allMs = 0;
for (const row of rows) {
  // One warm-up pass on a slice so the JIT has seen every path.
  time(row.lines.slice(0, 5_000), row.parse);
  time(row.lines.slice(0, 5_000), row.baseline);
  const parserMs = time(row.lines, row.parse);
  const baseMs = time(row.lines, row.baseline);
  const kinds = row.lines
    .map(row.parse)
    .reduce((acc, r) => ({ ...acc, [r.kind]: (acc[r.kind] ?? 0) + 1 }), {} as Record<string, number>);
  allLines += row.lines.length;
  allMs += parserMs;
  console.log(
    `${row.name.padEnd(16)} ${String(row.lines.length).padStart(8)} ${fmt(perSecond(row.lines.length, parserMs))} ${fmt(perSecond(row.lines.length, baseMs))}  ${row.baselineName.padEnd(10)} ${(parserMs / baseMs).toFixed(1).padStart(6)}x ${String(kinds.login ?? 0).padStart(7)} ${String(kinds.error ?? 0).padStart(6)}`,
  );
}
console.log(
  `\nall formats: ${perSecond(allLines, allMs).toLocaleString('en-US')} lines/s (${((allMs / allLines) * 1000).toFixed(2)} µs per line)`,
);
