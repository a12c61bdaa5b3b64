// Command-line arguments: `run --config <file>`, `enroll --config <file>`, `seal <path> --config
// <file>`, `unseal <path> --out <file> --reason "..." --config <file>`, `open-sealed <path>
// --reason "..." --config <file>`, `--help`.
export type CliCommand =
  | { kind: 'run' | 'enroll'; configPath: string }
  | { kind: 'seal'; configPath: string; path: string }
  | { kind: 'unseal'; configPath: string; path: string; out: string; reason: string }
  | { kind: 'open-sealed'; configPath: string; path: string; reason: string }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const USAGE = `Usage: wardwatch-agent <command> --config <file>

Commands:
  run       enroll if needed, then collect and stream events to the manager
  enroll    enroll with the manager only, then exit
  seal <path>
            seal one file (<path>.wwsealed; the clear file is removed)
  unseal <path> --out <file> --reason "..."
            write the clear content to <file>; the manager checks and audits the open
  open-sealed <path> --reason "..."
            open a sealed file as the tray does, through the running agent, with the
            IT staff code read from standard input; prints where the clear copy is

Options:
  --config <file>   the agent's YAML config file
  --out <file>      (unseal) where to write the clear content; must not exist
  --reason "..."    (unseal, open-sealed) why the file is opened, kept in the manager's audit
  --help            show this help

Exit codes: 0 ok, 1 failure, 2 bad config, 3 enrollment refused.`;

export function parseArgs(argv: readonly string[]): CliCommand {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) return { kind: 'help' };
  const [command, ...rest] = argv;
  const withPath = command === 'seal' || command === 'unseal' || command === 'open-sealed';
  if (command !== 'run' && command !== 'enroll' && !withPath)
    return { kind: 'error', message: `unknown command "${command}"` };
  const options: Partial<Record<'config' | 'out' | 'reason', string>> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const named = /^--(config|out|reason)(?:=(.*))?$/s.exec(arg);
    if (named) options[named[1] as 'config' | 'out' | 'reason'] = named[2] ?? rest[++i];
    else if (!arg.startsWith('--') && withPath) positional.push(arg);
    else return { kind: 'error', message: `unknown argument "${arg}"` };
  }
  const configPath = options.config;
  if (!configPath) return { kind: 'error', message: '--config <file> is required' };
  if (command === 'run' || command === 'enroll') return { kind: command, configPath };
  if (positional.length !== 1) return { kind: 'error', message: `${command} takes exactly one <path>` };
  const path = positional[0];
  if (command === 'seal') return { kind: 'seal', configPath, path };
  if (command === 'unseal' && !options.out) return { kind: 'error', message: 'unseal needs --out <file>' };
  if (command === 'open-sealed' && options.out)
    return { kind: 'error', message: 'open-sealed takes no --out (the agent chooses where the copy goes)' };
  const reason = options.reason?.trim() ?? '';
  if (reason.length < 3 || reason.length > 500)
    return { kind: 'error', message: `${command} needs --reason "..." (3 to 500 characters)` };
  if (command === 'unseal' && options.out) return { kind: 'unseal', configPath, path, out: options.out, reason };
  return { kind: 'open-sealed', configPath, path, reason };
}
