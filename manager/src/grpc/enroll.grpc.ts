// The Enroll call: checks the request's shape, lets the enrollment service decide,
// translates its refusals into gRPC status codes with a clear message.
import { status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';
import type { CommandKey, EnrollRequest, EnrollResponse } from '@wardwatch/proto';
import { z } from 'zod';
import { EnrollmentError } from '../enrollment/enrollment.errors';
import type { EnrollmentService } from '../enrollment/enrollment.service';
import type { JsonLogger } from '../logging/json-logger';

const EnrollShape = z.object({
  token: z.string().max(256),
  csrPem: z.string().max(16_384),
  host: z
    .object({
      hostname: z.string().max(255),
      os: z.string().max(32),
      osVersion: z.string().max(128),
      agentVersion: z.string().max(64),
    })
    .optional(),
});

export function grpcError(code: status, details: string): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}

/** The manager's command keys the agent pins (commands/). */
export type PinnedKeys = () => Promise<CommandKey[]>;

export function createEnrollHandler(enrollment: EnrollmentService, log: JsonLogger, pinnedKeys: PinnedKeys) {
  return (call: ServerUnaryCall<EnrollRequest, EnrollResponse>, callback: sendUnaryData<EnrollResponse>): void => {
    const peer = call.getPeer();
    const parsed = EnrollShape.safeParse(call.request);
    if (!parsed.success) {
      callback(
        grpcError(
          status.INVALID_ARGUMENT,
          `malformed enrollment request: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        ),
      );
      return;
    }
    if (!parsed.data.token) {
      callback(grpcError(status.UNAUTHENTICATED, 'an enrollment token is required'));
      return;
    }
    const host = parsed.data.host ?? { hostname: '', os: '', osVersion: '', agentVersion: '' };
    enrollment
      .enroll({ token: parsed.data.token, csrPem: parsed.data.csrPem, host })
      .then(async (result) => ({ result, commandKeys: await pinnedKeys() }))
      .then(
        ({ result, commandKeys }) => {
          log.info('agent enrolled', { agentId: result.agentId, hostname: host.hostname, peer });
          callback(null, { ...result, commandKeys });
        },
        (error: unknown) => {
          if (error instanceof EnrollmentError) {
            log.warn('enrollment refused', { reason: error.message, peer });
            const code = error.code === 'invalid_csr' ? status.INVALID_ARGUMENT : status.UNAUTHENTICATED;
            callback(grpcError(code, error.message));
            return;
          }
          log.error('enrollment failed', { error, peer });
          callback(grpcError(status.INTERNAL, 'enrollment failed on the manager; try again later'));
        },
      );
  };
}
