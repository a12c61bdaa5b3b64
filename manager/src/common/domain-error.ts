// The base of every feature's error type. A service throws its feature's error with a
// string code; the edges translate: HTTP by `status` (http/api-exception.filter.ts),
// gRPC and the CLI by the feature's own codes.
export type ErrorStatus = 'bad_request' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited';

export abstract class DomainError extends Error {
  protected constructor(
    readonly code: string,
    message: string,
    readonly status: ErrorStatus,
    /** For `rate_limited`: when to try again; HTTP sends it as Retry-After (whole seconds). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
