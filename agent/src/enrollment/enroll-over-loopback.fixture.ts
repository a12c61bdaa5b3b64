// The agent's real enrollment against a manager on 127.0.0.1 (the real one or a stand-in),
// for tests: the CA fetched and pinned by its fingerprint, a fresh key and request, the
// identity kept in memory only.
import type { CommandKey } from '@wardwatch/proto';
import type { AgentIdentity } from '../identity/identity-store';
import { callEnroll } from '../transport/grpc-clients';
import { createKeyAndCsr } from './csr';
import { enrollAgent } from './enroll';
import { fetchPinnedCa, pemFingerprint } from './fetch-ca';

export function enrollOverLoopback(options: {
  /** The manager's gRPC port on 127.0.0.1. */
  port: number;
  /** The manager's CA certificate; the agent pins its fingerprint. */
  caPem: string;
  token: string;
  hostname: string;
  pinCommandKeys?: (keys: CommandKey[]) => void;
}): Promise<AgentIdentity> {
  const address = `127.0.0.1:${options.port}`;
  const caFingerprint = pemFingerprint(options.caPem);
  return enrollAgent(
    {
      managerAddress: address,
      caFingerprint,
      token: options.token,
      host: { hostname: options.hostname, os: 'linux', osVersion: '6', agentVersion: '0.1.0' },
    },
    {
      fetchCa: () =>
        fetchPinnedCa({ host: '127.0.0.1', port: options.port, expectedFingerprint: caFingerprint, timeoutMs: 5_000 }),
      createKeyAndCsr,
      callEnroll: (caPem, request) => callEnroll(address, caPem, request, 5_000),
      save: () => undefined,
      now: Date.now,
      pinCommandKeys: options.pinCommandKeys,
    },
  );
}
