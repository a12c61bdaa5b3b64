// Chooses the pseudonym mode from what enrollment gave: a site key (local-key mode, as
// before) or none (OPRF mode: the manager evaluates, this agent caches, events wait).
// One place for the composition root to call, and the order of start and stop.
import type { AgentServiceClient } from '@wardwatch/proto';
import { loadOprfSuite } from '@wardwatch/shared/oprf';
import type { Logger } from '../../logging/logger';
import { PendingEvents } from './pending-events';
import { LocalKeyTokens, type TokenSource } from '../token-source';
import { loadOprfCache, OprfCacheFile } from './cache-file';
import { ManagerOprfEvaluator } from './manager-evaluator';
import { AGENT_OPRF_LOAD, OprfTokens } from './oprf-tokens';
import { TokenFetcher } from './token-fetcher';

export interface PseudonymMode {
  source: TokenSource;
  /** OPRF mode only: where events wait for tokens. */
  pending: PendingEvents | undefined;
  /** Starts fetching; `release` queues the waiting events whose tokens arrived. */
  start(release: () => number): void;
  stop(): void;
}

export function pseudonymMode(options: {
  pseudonymKey: Buffer;
  dataDir: string;
  client: () => AgentServiceClient;
  logger: Logger;
}): PseudonymMode {
  if (options.pseudonymKey.length > 0)
    return { source: new LocalKeyTokens(options.pseudonymKey), pending: undefined, start: () => {}, stop: () => {} };
  const tokens = new OprfTokens({}, loadOprfCache(options.dataDir));
  const pending = new PendingEvents(options.dataDir);
  const cacheFile = new OprfCacheFile(options.dataDir, tokens);
  let fetcher: TokenFetcher | undefined;
  return {
    source: tokens,
    pending,
    start(release) {
      fetcher = new TokenFetcher({
        tokens,
        evaluator: new ManagerOprfEvaluator(options.client),
        logger: options.logger,
        onTokens: () => {
          const released = release();
          cacheFile.saveSoon();
          if (released > 0) options.logger.info('held-back events released', { released, waiting: pending.size });
        },
      });
      // Loads the group library now rather than at the first new value, and says once if the
      // fast one is missing (tokens are the same, each new value costs ~8x the CPU).
      void loadOprfSuite(AGENT_OPRF_LOAD).then(
        ({ suite, fallbackReason }) => {
          if (fallbackReason)
            options.logger.warn('OPRF group library fallback', { using: suite.implementation, reason: fallbackReason });
        },
        (error: unknown) => options.logger.error('no OPRF group library loads', { error }),
      );
      // Events left waiting by the last run ask for their values again.
      release();
      fetcher.start();
    },
    stop() {
      fetcher?.stop();
      cacheFile.save();
    },
  };
}
