// Hospital behaviour simulator: deterministic for a seed, writes portable NDJSON
// (sorted by time) with labelled scenarios injected in the last third of the
// period (the part an evaluation scores).
//   npx tsx scripts/simulator/simulate.ts --days 45 --users 80 --seed 1 --out events.ndjson  (--help)
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { PortableEvent, formatPortableLine, type PortableEventInput } from '@wardwatch/shared';
import { Census } from './admissions';
import { benignDay } from './benign-day';
import { browsingDay } from './browsing';
import { chartReadsDay } from './chart-reads';
import { drawSyncedProfiles, filingDay, syncProfiles } from './filing';
import { FollowUps } from './follow-ups';
import { drawTraits, heavyTailDay, onCallNight, rolloutDays } from './heavy-tails';
import { buildHospital, works, type Hospital } from './hospital';
import { PortalUploads } from './portal-uploads';
import { INSIDER_SPAN_DAYS } from './insiders';
import { MASQUERADE_SPAN_DAYS } from './masquerade';
import { Rng } from './rng';
import {
  HARD_SCENARIOS,
  INSIDER_SCENARIOS,
  MASQUERADE_SCENARIOS,
  SCENARIO_MAKERS,
  SCENARIOS,
  type Scenario,
} from './scenarios';
import { runMain } from '../lib/run-main';

const DAY = 86_400_000;
/** A Monday, so that day % 7 gives the weekday. */
export const SIMULATION_START = Date.parse('2026-01-05T00:00:00Z');

export interface SimulationOptions {
  days: number;
  users: number;
  seed: number;
  scenarios?: readonly Scenario[];
  /** Day index from which scenarios may be injected (default: two thirds in). */
  attackFromDay?: number;
  /**
   * 'classic': regular staff (the original simulator, kept for the detection tests);
   * 'hard': heavy-tailed benign behaviour (heavy-tails.ts) for the evaluation.
   */
  difficulty?: 'classic' | 'hard';
}

export interface Simulation {
  events: PortableEvent[];
  hospital: Hospital;
  start: number;
  attackFrom: number;
  injected: { scenario: Scenario; day: number }[];
}

/** The event's patient-data paths named after the beds' patients on `day` (admissions.ts). */
function admit(event: PortableEventInput, census: Census, day: number): void {
  const fields = event as Record<string, unknown>;
  for (const key of ['path', 'targetPath', 'previousPath']) {
    const value = fields[key];
    if (typeof value === 'string') fields[key] = census.admit(value, day);
  }
}

function dayOf(time: number | string): number {
  return Math.floor(((typeof time === 'number' ? time : Date.parse(time)) - SIMULATION_START) / DAY);
}

export function simulate(options: SimulationOptions): Simulation {
  const rng = new Rng(options.seed);
  const hospital = buildHospital(options.users, options.days, rng);
  // The hard hospital draws from its own generator, so a classic run stays byte-identical.
  const hard = options.difficulty === 'hard' ? new Rng(options.seed ^ 0x5eed_4a2d) : null;
  const traits = hard ? drawTraits(hospital, options.days, hard) : undefined;
  const rollouts = hard ? rolloutDays(options.days, hard) : new Map<number, string>();
  // Filing and synced profiles came later: their own generator keeps the rest of a hard seed as it was.
  const filing = hard ? new Rng(options.seed ^ 0x0f11_e5a7) : null;
  const synced = filing ? drawSyncedProfiles(hospital, filing) : new Set<string>();
  const browsing = hard ? new Rng(options.seed ^ 0x0b20_3e5e) : null;
  const followUps = hard ? new FollowUps(new Rng(options.seed ^ 0x0f01_10e5)) : null;
  const portals = hard ? new PortalUploads(hospital, new Rng(options.seed ^ 0x0907_7a15)) : null;
  const reading = hard ? new Rng(options.seed ^ 0x0c4a_47e5) : null;
  const raw = [];
  for (let d = 0; d < options.days; d++) {
    for (const person of hospital.staff) {
      const dayStart = SIMULATION_START + d * DAY;
      const trait = traits?.get(person.user);
      const away = trait?.vacation && d >= trait.vacation[0] && d < trait.vacation[1];
      if (works(person, d, hospital, rng) && !away) {
        raw.push(...benignDay(person, dayStart, rng));
        const extra = [
          ...(hard && trait ? heavyTailDay(person, trait, dayStart, rollouts.get(d), hospital, hard) : []),
          ...(filing ? filingDay(person, dayStart, synced.has(person.user), filing) : []),
        ];
        raw.push(...extra, ...(followUps?.today(person, dayStart) ?? []));
        followUps?.note(person, extra);
        if (browsing) raw.push(...browsingDay(person, dayStart, browsing));
        if (portals) raw.push(...portals.today(person, dayStart));
        if (reading) raw.push(...chartReadsDay(person, dayStart, hospital, reading));
      } else if (hard && trait?.onCall && !away && hard.chance(0.12)) {
        raw.push(...onCallNight(person, dayStart, hard));
      }
    }
  }
  syncProfiles(raw, synced);
  // Beds' patients change: benign work is on the patient in the bed that day.
  const census = hard ? new Census(options.seed ^ 0x0ad3_1751) : null;
  if (census) for (const event of raw) admit(event, census, dayOf(event.time));
  const attackFromDay = options.attackFromDay ?? Math.floor((options.days * 2) / 3);
  const injected: Simulation['injected'] = [];
  const scenarios = options.scenarios ?? SCENARIOS;
  const span = new Map<Scenario, number>([
    ...INSIDER_SCENARIOS.map((s) => [s, INSIDER_SPAN_DAYS] as const),
    ...MASQUERADE_SCENARIOS.map((s) => [s, MASQUERADE_SPAN_DAYS] as const),
  ]);
  scenarios.forEach((scenario, i) => {
    // A case spread over days starts early enough to end inside the period.
    const room = options.days - attackFromDay - 1 - (span.get(scenario) ?? 0);
    const day = attackFromDay + ((i * 3 + rng.int(2)) % Math.max(1, room));
    injected.push({ scenario, day });
    // A period too short for a case's span (a short training split) ends it at the period's end.
    const end = SIMULATION_START + options.days * DAY;
    const made = SCENARIO_MAKERS[scenario](hospital, SIMULATION_START + day * DAY, rng, { day, traits });
    // A case follows the patients it began with (a snooper the same celebrity on every day).
    if (census) for (const event of made) admit(event, census, day);
    raw.push(...made.filter((e) => (typeof e.time === 'number' ? e.time : Date.parse(e.time)) < end));
  });
  const events = raw.map((e) => PortableEvent.parse(e)).sort((a, b) => a.time - b.time);
  return { events, hospital, start: SIMULATION_START, attackFrom: SIMULATION_START + attackFromDay * DAY, injected };
}

const USAGE = `usage: npx tsx scripts/simulator/simulate.ts [options]
  --days <n> (45)  --users <n> (80)  --seed <n> (1)
  --difficulty classic|hard (classic; hard: the evaluation's hospital and all of its scenarios)
  --train-days <n> (scenarios from this day on; two thirds of --days by default)
  --repeat <n> (1: how many times each scenario is played)
  --out <events.ndjson> (default: standard output)
  --help`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      days: { type: 'string', default: '45' },
      users: { type: 'string', default: '80' },
      seed: { type: 'string', default: '1' },
      difficulty: { type: 'string', default: 'classic' },
      'train-days': { type: 'string' },
      repeat: { type: 'string', default: '1' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const whole = (name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: a whole number from ${min} to ${max}`);
    return n;
  };
  const days = whole('days', values.days, 2, 3_650);
  const trainDays =
    values['train-days'] === undefined ? undefined : whole('train-days', values['train-days'], 1, days - 1);
  const { difficulty } = values;
  if (difficulty !== 'hard' && difficulty !== 'classic') throw new Error('--difficulty: classic or hard');
  const played = difficulty === 'hard' ? HARD_SCENARIOS : SCENARIOS;
  const sim = simulate({
    days,
    users: whole('users', values.users, 1, 100_000),
    seed: whole('seed', values.seed, Number.MIN_SAFE_INTEGER),
    difficulty,
    attackFromDay: trainDays,
    scenarios: Array.from({ length: whole('repeat', values.repeat, 1, 100) }, () => played).flat(),
  });
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  for (const event of sim.events) if (!out.write(`${formatPortableLine(event)}\n`)) await once(out, 'drain');
  if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
  process.stderr.write(
    `${sim.events.length} events, ${sim.hospital.staff.length} users, ${days} days; scenarios from ${new Date(sim.attackFrom).toISOString()}: ${sim.injected.map((i) => `${i.scenario}@day${i.day}`).join(', ')}\n`,
  );
  return 0;
}

if (require.main === module) runMain('simulate', main);
