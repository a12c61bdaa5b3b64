// The sealing calls (GetSealingKey, UnwrapDataKey, RewrapDataKeys): the agent is the one
// its client certificate names, as for a Session; the request is checked against bounded
// shapes (keys/key.schemas.ts) and the key service decides and audits. Refusals become
// gRPC status codes with a clear message; nothing here logs key material (only ids,
// versions and the refusal's message).
import { status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import type {
  RewrapDataKeysRequest,
  RewrapDataKeysResponse,
  SealingKey,
  SealingKeyRequest,
  UnwrapDataKeyRequest,
  UnwrapDataKeyResponse,
} from '@wardwatch/proto';
import type { z } from 'zod';
import { KeyError, type KeyErrorCode } from '../keys/key.errors';
import { RewrapRequest, UnwrapRequest } from '../keys/key.schemas';
import type { KeyService } from '../keys/key.service';
import type { JsonLogger } from '../logging/json-logger';
import type { AgentEntity } from '../agents/agent.entity';
import { grpcError } from './enroll.grpc';
import { identifyPeer, type PeerChecks } from './peer-identity';

const codes: Record<KeyErrorCode, status> = {
  not_found: status.NOT_FOUND,
  agent_revoked: status.PERMISSION_DENIED,
  kek_revoked: status.PERMISSION_DENIED,
  wrong_key: status.INVALID_ARGUMENT,
  master_key_mismatch: status.FAILED_PRECONDITION,
};

interface SealingDeps {
  checks: PeerChecks;
  keys: KeyService;
  log: JsonLogger;
}

/** The refusals made here (already logged), as opposed to failures. */
const refusals = new WeakSet<ServiceError>();

export function createSealingHandlers(deps: SealingDeps) {
  return {
    getSealingKey: unary<SealingKeyRequest, SealingKey>(deps, 'sealing key', async (agent) => {
      const kek = await deps.keys.current(agent.id);
      return { keyId: kek.keyId, version: kek.version, publicKey: kek.publicKey };
    }),
    unwrapDataKey: unary<UnwrapDataKeyRequest, UnwrapDataKeyResponse>(deps, 'unwrap', async (agent, request) => {
      const parsed = parse(UnwrapRequest, {
        keyId: request.keyId,
        policyVersion: request.policyVersion,
        userToken: request.userToken,
        reason: request.reason,
        ...request.key,
      });
      return { dataKey: await deps.keys.unwrap(agent.id, parsed) };
    }),
    rewrapDataKeys: unary<RewrapDataKeysRequest, RewrapDataKeysResponse>(deps, 'rewrap', async (agent, request) => {
      const parsed = parse(RewrapRequest, request);
      const { version, results } = await deps.keys.rewrap(agent.id, parsed);
      return {
        keyId: parsed.keyId,
        kekVersion: version,
        keys: results.map((r) =>
          r.ok ? { wrappedKey: r.wrappedKey, error: '' } : { wrappedKey: Buffer.alloc(0), error: r.error },
        ),
      };
    }),
  };
}

function unary<Req, Res>(
  deps: SealingDeps,
  what: string,
  handle: (agent: AgentEntity, request: Req) => Promise<Res>,
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    const peer = call.getPeer();
    const run = async (): Promise<Res> => {
      const verdict = await identifyPeer(call.getAuthContext(), deps.checks);
      if (!verdict.ok) throw refused(deps.log, what, undefined, peer, verdict.code, verdict.message);
      try {
        return await handle(verdict.agent, call.request);
      } catch (error) {
        if (error instanceof KeyError)
          throw refused(deps.log, what, verdict.agent.id, peer, codes[error.code], error.message);
        if (error instanceof MalformedRequest)
          throw refused(deps.log, what, verdict.agent.id, peer, status.INVALID_ARGUMENT, error.message);
        throw error;
      }
    };
    void run().then(
      (response) => callback(null, response),
      (error: unknown) => {
        if (refusals.has(error as ServiceError)) return callback(error as ServiceError);
        deps.log.error(`${what} failed`, { error, peer });
        callback(grpcError(status.INTERNAL, `${what} failed on the manager; try again later`));
      },
    );
  };
}

class MalformedRequest extends Error {}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedRequest(`malformed request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function refused(
  log: JsonLogger,
  what: string,
  agentId: string | undefined,
  peer: string,
  code: status,
  message: string,
) {
  log.warn(`${what} refused`, { agentId, reason: message, peer });
  const error = grpcError(code, message);
  refusals.add(error);
  return error;
}
