// The agent's own enrollment and Session code joined to an in-process test manager, for the
// end-to-end tests that run real agent parts and a real manager in one process: enrolment
// over mutual TLS with the CA pinned by fingerprint, and a ManagerSession with test timings
// (`testSession`, the agent's transport fixture) carrying the test's channels.
import { enrollOverLoopback } from '../../agent/src/enrollment/enroll-over-loopback.fixture';
import type { AgentIdentity } from '../../agent/src/identity/identity-store';
import type { CommandKeyStore } from '../../agent/src/response/command-keys/command-key-store';
import { EnrollmentTokenService } from '../../manager/src/enrollment/enrollment-token.service';
import { caPemOf } from '../../manager/src/testing/test-agent.fixture';
import type { TestManager } from '../../manager/src/testing/test-manager.fixture';

export { testSession } from '../../agent/src/transport/test-session.fixture';

/**
 * Enrols as workstation ward3-ws12 with a fresh token, the way the agent does at first start,
 * pinning the manager's command keys in `keys`. The identity is kept in memory only; its
 * `managerAddress` is the manager's gRPC port on 127.0.0.1.
 */
export async function enrollInProcess(manager: TestManager, keys: CommandKeyStore): Promise<AgentIdentity> {
  const { token } = await manager.app.get(EnrollmentTokenService).create(10, 'test');
  return enrollOverLoopback({
    port: manager.grpcPort,
    caPem: caPemOf(manager),
    token,
    hostname: 'ward3-ws12',
    pinCommandKeys: (pinned) => keys.pinAtEnrollment(pinned),
  });
}
