// Command-line arguments: `run --config <file>`, `enroll --config <file>`, `--help`.
export type CliCommand =
  { kind: 'run' | 'enroll'; configPath: string } | { kind: 'help' } | { kind: 'error'; message: string };

export const USAGE = `Usage: wardwatch-agent <command> --config <file>

Commands:
  run       enroll if needed, then collect and stream events to the manager
  enroll    enroll with the manager only, then exit

Options:
  --config <file>   the agent's YAML config file
  --help            show this help

Exit codes: 0 ok, 1 failure, 2 bad config, 3 enrollment refused.`;

export function parseArgs(argv: readonly string[]): CliCommand {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) return { kind: 'help' };
  const [command, ...rest] = argv;
  if (command !== 'run' && command !== 'enroll') return { kind: 'error', message: `unknown command "${command}"` };
  let configPath: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--config') configPath = rest[++i];
    else if (arg.startsWith('--config=')) configPath = arg.slice('--config='.length);
    else return { kind: 'error', message: `unknown argument "${arg}"` };
  }
  if (!configPath) return { kind: 'error', message: '--config <file> is required' };
  return { kind: command, configPath };
}
