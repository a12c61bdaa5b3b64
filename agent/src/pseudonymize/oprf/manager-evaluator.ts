// The manager's EvaluatePseudonyms over the agent's mutual-TLS client: one call per batch,
// with a deadline. Only blinded elements travel.
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import type { AgentServiceClient, EvaluatePseudonymsResponse } from '@wardwatch/proto';
import type { EvaluateOptions, OprfEvaluator } from './oprf-tokens';

const CALL_TIMEOUT_MS = 10_000;

export class ManagerOprfEvaluator implements OprfEvaluator {
  constructor(private readonly client: () => AgentServiceClient) {}

  evaluate(
    blinded: Uint8Array[],
    { priority }: EvaluateOptions = { priority: false },
  ): Promise<{ evaluated: Uint8Array[]; keyId: string }> {
    return new Promise((resolve, reject) => {
      this.client().evaluatePseudonyms(
        { blinded: blinded.map((b) => Buffer.from(b)), priority },
        new Metadata(),
        { deadline: Date.now() + CALL_TIMEOUT_MS },
        (error: ServiceError | null, answer?: EvaluatePseudonymsResponse) =>
          error || !answer ? reject(error ?? new Error('no answer')) : resolve(answer),
      );
    });
  }
}
