// A CommandRunner that records each argv and answers from a table: for the builders'
// wiring on Windows and macOS (which cannot run here) and for logind answers this machine
// cannot give. Never used where the real command can run.
import type { CommandResult, CommandRunner } from './command-runner';

export class RecordingRunner implements CommandRunner {
  readonly calls: string[][] = [];

  constructor(private readonly answer: (argv: string[]) => Partial<CommandResult> = () => ({})) {}

  run(command: string, args: readonly string[]): Promise<CommandResult> {
    const argv = [command, ...args];
    this.calls.push(argv);
    return Promise.resolve({ code: 0, stdout: '', stderr: '', timedOut: false, ...this.answer(argv) });
  }
}
