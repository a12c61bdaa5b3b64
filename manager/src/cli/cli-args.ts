// The manager's command line: `serve` (the default) or `enrollment-token create [--ttl-minutes N]`.
import { z } from 'zod';

export type Command = { kind: 'serve' } | { kind: 'enrollment-token-create'; ttlMinutes: number } | { kind: 'help' };

export const USAGE = `usage:
  wardwatch-manager [serve]                                  run the manager
  wardwatch-manager enrollment-token create [--ttl-minutes N] print one JSON line with a new single-use token
Configuration comes from the environment (WARDWATCH_DATA_DIR, DATABASE_URL, WARDWATCH_HTTP_PORT, ...); see manager/README.md.`;

export class UsageError extends Error {}

const Ttl = z.coerce
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60);

export function parseArgs(argv: string[]): Command {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === 'serve') {
    if (argv.length > 1) throw new UsageError(`unexpected arguments: ${argv.slice(1).join(' ')}`);
    return { kind: 'serve' };
  }
  if (first === '--help' || first === '-h' || first === 'help') return { kind: 'help' };
  if (first === 'enrollment-token' && second === 'create') {
    let ttlMinutes = 60;
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i];
      const value = arg.startsWith('--ttl-minutes=')
        ? arg.slice('--ttl-minutes='.length)
        : arg === '--ttl-minutes'
          ? rest[++i]
          : undefined;
      if (value === undefined) throw new UsageError(`unknown option: ${arg}`);
      const parsed = Ttl.safeParse(value);
      if (!parsed.success) throw new UsageError('--ttl-minutes must be a whole number of minutes between 1 and 10080');
      ttlMinutes = parsed.data;
    }
    return { kind: 'enrollment-token-create', ttlMinutes };
  }
  throw new UsageError(`unknown command: ${argv.join(' ')}`);
}
