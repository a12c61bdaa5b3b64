// What the macOS reads collector costs per line of `eslogger open`, which prints every
// open on the machine (agent/src/collectors/reads/macos-read-collector.ts). Generated
// lines in the ES schema's shape, a share of them (1 % by default) below the patient-data
// folder, each run twice in this process: every line parsed (the baseline: what the
// collector would cost without its test of a line), then the collector's way (a line
// parsed only when it holds the folder's deepest plain segment). Best of three; prints CPU
// µs per line for both, the ratio, and the lines a second one core keeps up with.
// eslogger's own cost on macOS is not measured here (no macOS on this machine).
// Run: npx tsx scripts/bench/eslogger-reads.bench.ts [lines] [phi-percent]
import { mayNameFolder } from '../../agent/src/collectors/reads/macos-read-collector';
import { parseMacosReadEvent } from '../../agent/src/collectors/reads/macos-read-event';
import { esloggerOpen } from '../../agent/src/collectors/reads/macos-read-event.fixture';

const lines = Number(process.argv[2] ?? 200_000);
const phiPercent = Number(process.argv[3] ?? 1);
const PHI = '/Users/Shared/PHI';
const OTHER = [
  '/System/Library/Frameworks/CoreFoundation.framework/Versions/A/Resources/Info.plist',
  '/Users/ana/Library/Caches/com.apple.Safari/Cache.db',
  '/usr/share/icu/icudt74l.dat',
  '/private/var/db/timezone/zoneinfo/Europe/Berlin',
];

const input = Array.from({ length: lines }, (_, i) =>
  i % Math.round(100 / phiPercent) === 0
    ? esloggerOpen({ at: i % 60, path: `${PHI}/ward${i % 9}/bed${i % 12}/chart${i}.pdf` })
    : esloggerOpen({ at: i % 60, path: OTHER[i % OTHER.length], pid: 100 + (i % 400) }),
);

function run(test: (line: string) => boolean): { usPerLine: number; reads: number } {
  let reads = 0;
  const start = process.cpuUsage();
  for (const line of input) if (test(line) && parseMacosReadEvent(line).kind === 'read') reads += 1;
  const used = process.cpuUsage(start);
  return { usPerLine: (used.user + used.system) / lines, reads };
}

const best = (test: (line: string) => boolean) =>
  [0, 1, 2].map(() => run(test)).reduce((a, b) => (b.usPerLine < a.usPerLine ? b : a));

const everyLine = best(() => true);
const collector = best(mayNameFolder([PHI]));
const f = (n: number) => n.toFixed(2).padStart(7);
process.stdout.write(
  [
    `eslogger open lines: ${lines.toLocaleString('en')}, ${phiPercent} % below ${PHI}`,
    `every line parsed (baseline): ${f(everyLine.usPerLine)} µs CPU per line, ${everyLine.reads} opens to read parsed`,
    `the collector's way:          ${f(collector.usPerLine)} µs CPU per line, ${collector.reads} opens to read parsed (×${(collector.usPerLine / everyLine.usPerLine).toFixed(3)})`,
    `one core keeps up with ${Math.round(1e6 / collector.usPerLine).toLocaleString('en')} lines/s (baseline ${Math.round(1e6 / everyLine.usPerLine).toLocaleString('en')})`,
    '',
  ].join('\n'),
);
