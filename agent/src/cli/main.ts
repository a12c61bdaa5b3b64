#!/usr/bin/env node
// The agent's command line: parses arguments, loads the config, runs, and turns
// the outcome into an exit code. Logs are JSON lines on stdout; a fatal error is
// also said once in plain words on stderr.
// First, before the agent's modules load: caps V8's young generation (see the file).
import { collectGarbage, governYoungGeneration } from '../runtime/young-generation';
import { loadConfig } from '../config/load-config';
import { createJsonLogger, type Logger } from '../logging/logger';
import { createResponseActions } from '../response/actions/create-response-actions';
import { enrollOnly, runAgent } from '../runtime/run-agent';
import { parseArgs, USAGE } from './args';
import { openSealedCommand, readCode } from './open-sealed-command';
import { sealCommand, unsealCommand } from './seal-commands';
import { AgentError, ExitCode } from '../errors/agent-error';

/** After a stop signal, the process exits by this time even if something hangs. */
const HARD_STOP_MS = 5_000;

export async function main(argv: readonly string[]): Promise<number> {
  const command = parseArgs(argv);
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return ExitCode.ok;
  }
  if (command.kind === 'error') {
    process.stderr.write(`wardwatch-agent: ${command.message}\n\n${USAGE}\n`);
    return ExitCode.badConfig;
  }

  // Whatever the agent creates (its data files, a model its training worker saves) is its
  // account's alone; the writers also pass 0600/0700, this covers any that do not.
  process.umask(0o077);
  const logger = createJsonLogger();
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) return;
    logger.info('stop signal received', { signal });
    stop.abort();
    setTimeout(() => {
      logger.error('did not stop in time, exiting');
      process.exit(ExitCode.failure);
    }, HARD_STOP_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const config = loadConfig(command.configPath);
    if (command.kind === 'enroll') await enrollOnly(config, logger, stop.signal);
    else if (command.kind === 'seal') process.stdout.write(`sealed: ${await sealCommand(config, command.path)}\n`);
    else if (command.kind === 'unseal') {
      await unsealCommand(config, command.path, command.out, command.reason);
      process.stdout.write(`unsealed to ${command.out}\n`);
    } else if (command.kind === 'open-sealed') {
      if (process.stdin.isTTY) process.stderr.write('IT staff code: ');
      const code = await readCode(process.stdin);
      const opened = await openSealedCommand(config.dataDir, { path: command.path, reason: command.reason, code });
      process.stdout.write(`opened to ${opened.out}\n`);
    } else {
      // Lets the young generation grow under load and gives it back when quiet.
      const stopGoverning = governYoungGeneration();
      // Start-up garbage (module loading, the config's parse; then the collectors' first scans)
      // would sit in the old space until V8's next full collection, often tens of seconds later,
      // and the start would commit fresh pages beside it: collected at these two points instead,
      // the start reuses that memory (~50 ms of CPU each, once).
      collectGarbage();
      // The composition root's one OS choice: the real actions of this platform.
      await runAgent(config, logger, stop.signal, {
        responseActions: createResponseActions(),
        onStarted: collectGarbage,
      }).finally(stopGoverning);
    }
    return ExitCode.ok;
  } catch (error) {
    return reportFatal(error, logger);
  }
}

function reportFatal(error: unknown, logger: Logger): number {
  if (error instanceof AgentError) {
    if (error.exitCode === ExitCode.ok) return ExitCode.ok; // stopped while waiting
    logger.error('agent failed', { error: error.message, exitCode: error.exitCode });
    process.stderr.write(`wardwatch-agent: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  logger.error('agent failed', { error: message, exitCode: ExitCode.failure });
  process.stderr.write(`wardwatch-agent: ${message}\n`);
  return ExitCode.failure;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`wardwatch-agent: ${String(error)}\n`);
      process.exit(ExitCode.failure);
    },
  );
}
