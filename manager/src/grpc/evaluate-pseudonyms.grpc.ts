// EvaluatePseudonyms: the agent named by its client certificate (as for a Session) sends
// blinded elements; pseudonym-oracle/ decides (batch cap, element check, per-agent rate)
// and evaluates. Refusals become status codes with a clear message and a log line with
// the agent and the count, never the bytes.
import { status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import type { EvaluatePseudonymsRequest, EvaluatePseudonymsResponse } from '@wardwatch/proto';
import type { JsonLogger } from '../logging/json-logger';
import type { PseudonymOracleErrorCode } from '../pseudonym-oracle/pseudonym-oracle.errors';
import { PseudonymOracleError } from '../pseudonym-oracle/pseudonym-oracle.errors';
import type { PseudonymOracleService } from '../pseudonym-oracle/pseudonym-oracle.service';
import { grpcError } from './enroll.grpc';
import { identifyPeer, type PeerChecks } from './peer-identity';

const codes: Record<PseudonymOracleErrorCode, status> = {
  batch_too_large: status.INVALID_ARGUMENT,
  bad_element: status.INVALID_ARGUMENT,
  rate_limited: status.RESOURCE_EXHAUSTED,
  not_in_oprf_mode: status.FAILED_PRECONDITION,
};

interface EvaluateDeps {
  checks: PeerChecks;
  oracle: PseudonymOracleService;
  log: JsonLogger;
}

export function createEvaluatePseudonymsHandler(deps: EvaluateDeps) {
  return (
    call: ServerUnaryCall<EvaluatePseudonymsRequest, EvaluatePseudonymsResponse>,
    callback: sendUnaryData<EvaluatePseudonymsResponse>,
  ): void => {
    const peer = call.getPeer();
    const run = async (): Promise<EvaluatePseudonymsResponse> => {
      const verdict = await identifyPeer(call.getAuthContext(), deps.checks);
      if (!verdict.ok) throw refused(deps, undefined, peer, verdict.code, verdict.message);
      const blinded = call.request.blinded;
      try {
        const evaluated = await deps.oracle.evaluate(verdict.agent.id, blinded, call.request.priority === true);
        return { evaluated: evaluated.map((e) => Buffer.from(e)), keyId: deps.oracle.keyId };
      } catch (error) {
        if (error instanceof PseudonymOracleError)
          throw refused(deps, verdict.agent.id, peer, codes[error.code as PseudonymOracleErrorCode], error.message, {
            values: blinded.length,
          });
        throw error;
      }
    };
    void run().then(
      (response) => callback(null, response),
      (error: unknown) => {
        if (refusals.has(error as ServiceError)) return callback(error as ServiceError);
        deps.log.error('pseudonym evaluation failed', { error, peer });
        callback(grpcError(status.INTERNAL, 'pseudonym evaluation failed on the manager; try again later'));
      },
    );
  };
}

const refusals = new WeakSet<ServiceError>();

function refused(
  deps: EvaluateDeps,
  agentId: string | undefined,
  peer: string,
  code: status,
  message: string,
  extra: Record<string, number> = {},
): ServiceError {
  deps.log.warn('pseudonym evaluation refused', { agentId, reason: message, peer, ...extra });
  const error = grpcError(code, message);
  refusals.add(error);
  return error;
}
