// Start-up: use the identity in the data folder, or enroll to get one. A manager
// that cannot be reached is retried with backoff; a refusal is final.
import { readFileSync } from 'node:fs';
import type { HostInfo } from '@wardwatch/proto';
import type { Backoff } from '@wardwatch/shared';
import { AgentError, ExitCode } from '../errors/agent-error';
import type { AgentConfig } from '../config/config.schema';

/** The part of the config enrollment reads. */
export type EnrollmentConfig = Pick<AgentConfig, 'configPath' | 'manager' | 'enrollment'>;
import type { AgentIdentity, IdentityStore } from '../identity/identity-store';
import type { Logger } from '../logging/logger';
import { callEnroll, isTransient } from '../transport/grpc-clients';
import { splitAddress } from '../transport/manager-address';
import type { KeyAndCsr } from './csr';
import { enrollAgent } from './enroll';
import { fetchPinnedCa } from './fetch-ca';

export interface EnsureIdentityDeps {
  store: IdentityStore;
  host: HostInfo;
  logger: Logger;
  backoff: Backoff;
  signal: AbortSignal;
  enrollTimeoutMs?: number;
}

export async function ensureIdentity(
  config: EnrollmentConfig,
  deps: EnsureIdentityDeps,
): Promise<{ identity: AgentIdentity; enrolledNow: boolean }> {
  if (deps.store.exists()) {
    let identity: AgentIdentity;
    try {
      identity = deps.store.load();
    } catch (error) {
      throw new AgentError(`the stored identity cannot be used: ${(error as Error).message}`, ExitCode.failure, {
        cause: error,
      });
    }
    if (identity.caFingerprint !== config.manager.caFingerprint) {
      throw new AgentError(
        `the identity in ${deps.store.dataDir} was issued under CA ${identity.caFingerprint}, but manager.caFingerprint in ${config.configPath} is ${config.manager.caFingerprint}: fix the config, or remove identity.json from the data folder to enroll again`,
        ExitCode.badConfig,
      );
    }
    return { identity, enrolledNow: false };
  }

  const token = readToken(config);
  const { host, port } = splitAddress(config.manager.address);
  const timeoutMs = deps.enrollTimeoutMs ?? 15_000;
  for (;;) {
    try {
      const identity = await enrollAgent(
        { managerAddress: config.manager.address, caFingerprint: config.manager.caFingerprint, token, host: deps.host },
        {
          fetchCa: () => fetchPinnedCa({ host, port, expectedFingerprint: config.manager.caFingerprint, timeoutMs }),
          createKeyAndCsr: loadKeyAndCsr,
          callEnroll: (caPem, request) => callEnroll(config.manager.address, caPem, request, timeoutMs),
          save: (identity) => deps.store.save(identity),
          now: Date.now,
        },
      );
      deps.logger.info('agent enrolled', { agentId: identity.agentId, manager: config.manager.address });
      return { identity, enrolledNow: true };
    } catch (error) {
      if (!isTransient(error)) throw error;
      const delay = deps.backoff.next();
      deps.logger.warn('manager unreachable, retrying enrollment', {
        manager: config.manager.address,
        error,
        retryInMs: delay,
      });
      await sleep(delay, deps.signal);
    }
  }
}

function readToken(config: EnrollmentConfig): string {
  if (config.enrollment.token) return config.enrollment.token;
  const file = config.enrollment.tokenFile;
  if (!file) {
    throw new AgentError(
      `config ${config.configPath}: enrollment.token or enrollment.tokenFile is required until the agent is enrolled`,
      ExitCode.badConfig,
    );
  }
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new AgentError(
      `config ${config.configPath}: enrollment.tokenFile ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      ExitCode.badConfig,
    );
  }
  if (!token)
    throw new AgentError(`config ${config.configPath}: enrollment.tokenFile ${file} is empty`, ExitCode.badConfig);
  return token;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AgentError('stopped while waiting for the manager', ExitCode.ok));
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(new AgentError('stopped while waiting for the manager', ExitCode.ok));
    }
    signal.addEventListener('abort', aborted, { once: true });
  });
}

/**
 * The X.509 library is needed only to enroll; loaded then, it does not sit in
 * every running agent's memory (~7 MB RSS, scripts/bench/agent-footprint.bench.ts).
 */
async function loadKeyAndCsr(commonName: string): Promise<KeyAndCsr> {
  const { createKeyAndCsr } = await import('./csr.js');
  return createKeyAndCsr(commonName);
}
