// Enroll is safe to repeat: an agent whose answer was lost asks again with the same
// token and key and gets the same certificate; another key with that token is refused;
// no second agent row either way. Over the real TLS port, on both engines.
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { enrollCall } from '../testing/test-agent.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { makeKeyAndCsr, managerForTests } from '../testing/test-manager.fixture';
import { EnrollmentTokenService } from './enrollment-token.service';

describe.each(testEngines)('a repeated enrollment on $name', ({ make, skip }) => {
  // Local-key mode on purpose: a repeated enrollment must hand out the same site key.
  const running = managerForTests({ make, skip }, { WARDWATCH_PSEUDONYM_MODE: 'local-key' });

  it.skipIf(skip)('answers the same token and key with the same certificate, and refuses another key', async () => {
    const { token } = await running.manager.app.get(EnrollmentTokenService).create(10, 'test');
    const keys = await makeKeyAndCsr();
    const agentsBefore = (await running.manager.app.get(AgentService).list()).length;
    const first = await enrollCall(running.manager, token, keys.csrPem);
    expect(first.error).toBeNull();
    // The answer was lost; the agent retries with what it has: the same token and key (a new CSR of it).
    const again = await enrollCall(running.manager, token, keys.csrPem);
    expect(again.error).toBeNull();
    expect(again.response).toMatchObject({
      agentId: first.response!.agentId,
      certificatePem: first.response!.certificatePem,
      caCertificatePem: first.response!.caCertificatePem,
    });
    expect(Buffer.from(again.response!.pseudonymKey)).toEqual(Buffer.from(first.response!.pseudonymKey));

    const other = await enrollCall(running.manager, token, (await makeKeyAndCsr()).csrPem);
    expect(other.error).toMatchObject({ code: status.UNAUTHENTICATED, details: 'enrollment token already used' });
    expect(await enrollCall(running.manager, token, 'not a csr')).toMatchObject({
      error: { code: status.UNAUTHENTICATED, details: 'enrollment token already used' },
    });

    expect((await running.manager.app.get(AgentService).list()).length).toBe(agentsBefore + 1);
    const audit = await running.manager.app.get(AuditService).list(100);
    const actions = audit.filter((r) => r.target === first.response!.agentId).map((r) => r.action);
    expect(actions.sort()).toEqual(['agent.enroll', 'agent.enroll_repeated']);
  });

  it.skipIf(skip)('does not answer a revoked agent again', async () => {
    const { token } = await running.manager.app.get(EnrollmentTokenService).create(10, 'test');
    const keys = await makeKeyAndCsr();
    const first = await enrollCall(running.manager, token, keys.csrPem);
    await running.manager.app.get(AgentService).revoke(first.response!.agentId, 'admin');
    expect((await enrollCall(running.manager, token, keys.csrPem)).error?.details).toBe(
      'enrollment token already used',
    );
  });
});
