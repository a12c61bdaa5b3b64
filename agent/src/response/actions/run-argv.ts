// Runs a builder's argv through the injected runner, or lists it in a dry-run plan.
import { type CommandResult, type CommandRunner, describeFailure } from './command-runner';

export async function runAll(
  runner: CommandRunner,
  steps: readonly (readonly [string, ...string[]])[],
): Promise<{ results: CommandResult[]; failures: string[] }> {
  const results: CommandResult[] = [];
  const failures: string[] = [];
  for (const [command, ...args] of steps) {
    const result = await runner.run(command, args);
    results.push(result);
    if (result.code !== 0) failures.push(`${command}: ${describeFailure(result)}`);
  }
  return { results, failures };
}
