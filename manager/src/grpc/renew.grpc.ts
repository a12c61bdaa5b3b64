// The Renew call: the agent is the one its client certificate names (checked as for
// a Session, plus its previous certificate), never anything in the request. Checks
// the request's shape, lets the renewal service decide, and translates its refusals
// into gRPC status codes with a clear message.
import { status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import type { RenewRequest, RenewResponse } from '@wardwatch/proto';
import { z } from 'zod';
import { RenewalError, type RenewalErrorCode } from '../enrollment/renewal.errors';
import type { RenewalService } from '../enrollment/renewal.service';
import type { JsonLogger } from '../logging/json-logger';
import { grpcError, type PinnedKeys } from './enroll.grpc';
import { identifyPeer, type PeerChecks } from './peer-identity';

const RenewShape = z.object({
  csrPem: z.string().min(1, 'a certificate request is required').max(16_384, 'the certificate request is too large'),
});

/** The refusals this file made (already logged), as opposed to a failure. */
const refusals = new WeakSet<ServiceError>();

const codes: Record<RenewalErrorCode, status> = {
  invalid_csr: status.INVALID_ARGUMENT,
  rate_limited: status.RESOURCE_EXHAUSTED,
  revoked: status.PERMISSION_DENIED,
};

interface RenewDeps {
  checks: PeerChecks;
  renewal: RenewalService;
  log: JsonLogger;
  pinnedKeys: PinnedKeys;
}

export function createRenewHandler(deps: RenewDeps) {
  return (call: ServerUnaryCall<RenewRequest, RenewResponse>, callback: sendUnaryData<RenewResponse>): void => {
    void renew(call, deps).then(
      (response) => callback(null, response),
      (error: unknown) => {
        if (refusals.has(error as ServiceError)) return callback(error as ServiceError);
        deps.log.error('renewal failed', { error, peer: call.getPeer() });
        callback(grpcError(status.INTERNAL, 'certificate renewal failed on the manager; try again later'));
      },
    );
  };
}

async function renew(call: ServerUnaryCall<RenewRequest, RenewResponse>, deps: RenewDeps): Promise<RenewResponse> {
  const peer = call.getPeer();
  const verdict = await identifyPeer(call.getAuthContext(), deps.checks, { acceptPrevious: true });
  if (!verdict.ok) throw refused(deps.log, undefined, peer, verdict.code, verdict.message);
  const parsed = RenewShape.safeParse(call.request);
  if (!parsed.success)
    throw refused(
      deps.log,
      verdict.agent.id,
      peer,
      status.INVALID_ARGUMENT,
      `malformed renewal request: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  try {
    const result = await deps.renewal.renew({
      agent: verdict.agent,
      presentedFingerprint: verdict.fingerprint,
      csrPem: parsed.data.csrPem,
    });
    deps.log.info('agent certificate renewed', {
      agentId: verdict.agent.id,
      notAfter: new Date(result.notAfter).toISOString(),
      peer,
    });
    return {
      certificatePem: result.certificatePem,
      caCertificatePem: result.caCertificatePem,
      commandKeys: await deps.pinnedKeys(),
    };
  } catch (error) {
    if (error instanceof RenewalError)
      throw refused(deps.log, verdict.agent.id, peer, codes[error.code], error.message);
    throw error;
  }
}

function refused(log: JsonLogger, agentId: string | undefined, peer: string, code: status, message: string) {
  log.warn('renewal refused', { agentId, reason: message, peer });
  const error = grpcError(code, message);
  refusals.add(error);
  return error;
}
