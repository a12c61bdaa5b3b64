// Start-up: use the identity in the data folder, or enroll to get one. A manager
// that cannot be reached is retried with backoff; a refusal is final.
//
// The token is single-use, so an Enroll whose answer was lost (deadline, broken
// connection) may have used it. Every attempt therefore sends the same key and
// request (kept in the data folder until enrolled, `pending-key.ts`): a manager that
// recognises the repeat answers with the same certificate. One that answers "token
// already used" after such a loss is reported as exactly that, with what to do.
import { readFileSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import type { CommandKey, HostInfo } from '@wardwatch/proto';
import type { Backoff } from '@wardwatch/shared/agent';
import { AgentError, ExitCode } from '../errors/agent-error';
import type { AgentConfig } from '../config/config.schema';

/** The part of the config enrollment reads. */
export type EnrollmentConfig = Pick<AgentConfig, 'configPath' | 'manager' | 'enrollment'>;
import type { AgentIdentity, IdentityStore } from '../identity/identity-store';
import type { Logger } from '../logging/logger';
import { callEnroll, isServiceError, isTransient } from '../transport/grpc-clients';
import { splitAddress } from '../transport/manager-address';
import type { KeyAndCsr } from './csr';
import { enrollAgent, TokenRefusedError } from './enroll';
import { fetchPinnedCa } from './fetch-ca';
import { PendingKeyStore } from './pending-key';

export interface EnsureIdentityDeps {
  store: IdentityStore;
  host: HostInfo;
  logger: Logger;
  backoff: Backoff;
  signal: AbortSignal;
  enrollTimeoutMs?: number;
  /** Pins the command keys of the enrollment answer. */
  pinCommandKeys?(keys: CommandKey[]): void;
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
  const pending = new PendingKeyStore(deps.store.dataDir);
  let key = pending.load();
  // An Enroll that may have reached the manager without its answer reaching us.
  let lostAnswer: string | null = key ? 'an earlier run of the agent stopped before its enrollment finished' : null;
  const commonName = deps.host.hostname || 'wardwatch-agent';
  for (;;) {
    try {
      const identity = await enrollAgent(
        { managerAddress: config.manager.address, caFingerprint: config.manager.caFingerprint, token, host: deps.host },
        {
          fetchCa: () => fetchPinnedCa({ host, port, expectedFingerprint: config.manager.caFingerprint, timeoutMs }),
          createKeyAndCsr: async () => {
            if (!key) {
              key = await loadKeyAndCsr(commonName);
              pending.save(key); // before the token is first sent
            }
            return key;
          },
          callEnroll: async (caPem, request) => {
            try {
              return await callEnroll(config.manager.address, caPem, request, timeoutMs);
            } catch (error) {
              if (isTransient(error)) lostAnswer = `an Enroll answer was lost (${describe(error)})`;
              throw error;
            }
          },
          save: (identity) => deps.store.save(identity),
          now: Date.now,
          pinCommandKeys: (keys) => deps.pinCommandKeys?.(keys),
        },
      );
      pending.clear();
      deps.logger.info('agent enrolled', { agentId: identity.agentId, manager: config.manager.address });
      return { identity, enrolledNow: true };
    } catch (error) {
      // A refused token is final: the next token (from an admin) starts with a new key.
      if (error instanceof TokenRefusedError) pending.clear();
      // "already used" is the manager's wording (enrollment-token.service.ts) for a consumed token.
      if (error instanceof TokenRefusedError && lostAnswer && /already used/i.test(error.reason))
        throw usedByLostAttempt(error, lostAnswer, deps.host);
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

/**
 * A refusal after a lost answer: most likely the earlier attempt enrolled this workstation
 * and used the token, and the manager does not recognise the repeat. One line, what to do.
 */
function usedByLostAttempt(error: TokenRefusedError, lostAnswer: string, host: HostInfo): AgentError {
  return new AgentError(
    `the manager refused the enrollment token (${error.reason}) after ${lostAnswer}: that attempt probably enrolled this workstation without its certificate arriving. An admin should remove the agent of host "${host.hostname}" that never connected from the manager, then give this agent a new token`,
    ExitCode.enrollmentRefused,
    { cause: error },
  );
}

function describe(error: unknown): string {
  if (isServiceError(error)) return status[error.code];
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
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
