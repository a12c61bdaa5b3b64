// Command-line settings shared by wardwatch-score and the evaluation: the site
// settings under the names the config file uses (`--alertThreshold 55`), values
// that start with a dash (`--utc-offset-minutes -300`, which node's parseArgs
// would take for a flag), and one help text built from the same list.
import { ScoringConfig, type ScoringConfigInput } from '../../config/scoring-config';

/** The site settings a flag can set: every numeric top-level key of the config file. */
export const SETTING_FLAGS = Object.entries(ScoringConfig.shape)
  .filter(([, schema]) => typeof schema.parse(undefined) === 'number')
  .map(([name]) => name as keyof ScoringConfigInput);

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/** `--name -5` → `--name=-5` for flags that take a value, so a negative number parses. */
export function joinNegativeValues(argv: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (
      arg.startsWith('--') &&
      !arg.includes('=') &&
      valueFlags.has(arg.slice(2)) &&
      next &&
      NEGATIVE_NUMBER.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** parseArgs options for the setting flags. */
export function settingOptions(): Record<string, { type: 'string' }> {
  return Object.fromEntries(SETTING_FLAGS.map((name) => [name, { type: 'string' as const }]));
}

/** The settings given as flags, as numbers; a value that is not a number is named. */
export function settingsFromFlags(values: Record<string, unknown>): ScoringConfigInput {
  const out: Record<string, number> = {};
  for (const name of SETTING_FLAGS) {
    const raw = values[name];
    if (typeof raw !== 'string') continue;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new Error(`--${name}: not a number: "${raw}"`);
    out[name] = value;
  }
  return out;
}

/** A number flag, or its default; anything else is an error that names the flag. */
export function numberFlag(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value))
    throw new Error(`--${name}: not a number: "${typeof raw === 'string' ? raw : typeof raw}"`);
  return value;
}

/** `--retrain-days`: days between trainings while scoring, as the agent's `retrainDays` (7); 0 trains once (undefined). */
export function retrainDaysFlag(values: Record<string, unknown>): number | undefined {
  const days = numberFlag(values, 'retrain-days', 7);
  if (!Number.isInteger(days) || days < 0 || days > 365)
    throw new Error(`--retrain-days: whole days from 0 (never) to 365, not ${days}`);
  return days || undefined;
}

/** Help lines for the setting flags, with their defaults. */
export function settingsHelp(): string {
  const defaults = ScoringConfig.parse({}) as Record<string, unknown>;
  return SETTING_FLAGS.map(
    (name) => `  --${name} <n>  (config file's ${name}; default ${String(defaults[name])})`,
  ).join('\n');
}
