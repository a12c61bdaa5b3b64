// Exit codes the CLI promises, so scripts and service managers can tell a bad
// config from a refused enrollment without parsing messages.
export const ExitCode = {
  ok: 0,
  failure: 1,
  badConfig: 2,
  enrollmentRefused: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one clear line and turns into its exit code. */
export class AgentError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentError';
  }
}
