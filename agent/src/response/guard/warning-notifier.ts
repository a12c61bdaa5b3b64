// Fallback warnings when the tray may not be running: `wall` to every terminal and,
// for a graphical session of the targeted account, `notify-send` run as that user on
// its display and session bus. Best effort: a failure is logged, never fatal (the
// countdown runs either way and the tray shows it through the local API).
import { execFile } from 'node:child_process';
import type { LocalAccount } from '../actions/response-actions';

export interface WarningNotifier {
  warn(message: string, account?: LocalAccount): Promise<void>;
}

/** Runs argv, resolves with the exit code (never rejects). */
export type RunCommand = (argv: string[], input?: string) => Promise<{ code: number; error?: string }>;

export const runCommand: RunCommand = (argv, input) =>
  new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) return resolve({ code: -1, error: 'empty argv' });
    const child = execFile(file, args, { timeout: 5_000 }, (error) => {
      if (!error) return resolve({ code: 0 });
      const code = typeof error.code === 'number' ? error.code : -1;
      resolve({ code, error: error.message });
    });
    // A program that exits without reading its input must not crash the agent (EPIPE).
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });

/** The argv of each fallback, built apart so that tests check them without running them. */
export function wallArgv(): string[] {
  return ['wall'];
}

export function notifySendArgv(message: string, account: LocalAccount, display = ':0'): string[] {
  return [
    'runuser',
    '-u',
    account.name,
    '--',
    'env',
    `DISPLAY=${display}`,
    `DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/${account.uid}/bus`,
    'notify-send',
    '--urgency=critical',
    'WardWatch',
    message,
  ];
}

export class SystemWarningNotifier implements WarningNotifier {
  constructor(
    private readonly run: RunCommand = runCommand,
    private readonly onFailure: (what: string, error: string) => void = () => undefined,
  ) {}

  async warn(message: string, account?: LocalAccount): Promise<void> {
    // wall reads the message from stdin, so no argument of ours reaches its option parser.
    const wall = await this.run(wallArgv(), `${message}\n`);
    if (wall.code !== 0) this.onFailure('wall', wall.error ?? `exit ${wall.code}`);
    if (account && account.uid > 0) {
      const sent = await this.run(notifySendArgv(message, account));
      if (sent.code !== 0) this.onFailure('notify-send', sent.error ?? `exit ${sent.code}`);
    }
  }
}
