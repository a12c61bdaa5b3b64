#!/usr/bin/env node
// The manager's entry point: parse the command line and the environment once,
// then serve or run a one-off command. Exit codes: 0 ok, 1 failure, 2 bad configuration or usage.
import 'reflect-metadata';
import { setLogger as setGrpcLogger } from '@grpc/grpc-js';
import { parseArgs, USAGE, UsageError } from './cli/cli-args';
import { createEnrollmentTokenCommand } from './cli/enrollment-token.command';
import { removeRuntime, writeRuntime } from './cli/runtime-file';
import { ConfigError, parseConfig, type ManagerConfig } from './config/config.schema';
import { JsonLogger } from './logging/json-logger';
import { StartError, startManager } from './manager.app';

const EXIT_FAILURE = 1;
const EXIT_CONFIG = 2;

async function serve(config: ManagerConfig, logger: JsonLogger): Promise<void> {
  const log = logger.child('main');
  // grpc-js writes its own lines to stderr (a failed bind twice over); ours say it once, with context.
  const grpcLog = logger.child('grpc-js');
  setGrpcLogger({ error: (...args: unknown[]) => grpcLog.debug(args.map(String).join(' ')) });
  const manager = await startManager(config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    manager.close().then(
      () => {
        removeRuntime(config.dataDir);
        log.info('manager stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error('shutdown failed', { error });
        process.exit(EXIT_FAILURE);
      },
    );
  };
  // `on`, not `once`: Ctrl-C reaches every process of the terminal's group, so a
  // second signal during shutdown must not kill us half-way.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Ready only once a stop is handled: a supervisor that stops us on this line shuts us down cleanly.
  writeRuntime(config.dataDir, { pid: process.pid, httpUrl: manager.httpUrl, grpcPort: manager.grpcPort });
  log.info('manager ready', {
    httpUrl: manager.httpUrl,
    grpcPort: manager.grpcPort,
    caFingerprint: manager.caFingerprint,
    database: config.database.kind,
    dataDir: config.dataDir,
  });
}

async function main(argv: string[]): Promise<void> {
  // Whatever the manager creates (database, keys, runtime file) is its own: owner-only by default.
  process.umask(0o077);
  const command = parseArgs(argv);
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = parseConfig(process.env, process.cwd());
  if (command.kind === 'enrollment-token-create') {
    const line = await createEnrollmentTokenCommand(config, command.ttlMinutes);
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return;
  }
  await serve(config, new JsonLogger(config.logLevel));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exit(EXIT_CONFIG);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`WardWatch manager: ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  // The reason first, in one line, for the person at the terminal; then the log line for machines.
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  process.stderr.write(`WardWatch manager failed to start: ${reason}\n`);
  new JsonLogger('error').child('main').error('manager failed to start', {
    reason,
    stack: error instanceof Error && !(error instanceof StartError) ? error.stack : undefined,
  });
  process.exit(EXIT_FAILURE);
});
