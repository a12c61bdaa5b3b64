// Errors that services throw with a string code; each edge (HTTP, gRPC, CLI) translates the code.
export type DomainErrorCode =
  'invalid_token' | 'invalid_csr' | 'not_found' | 'unauthenticated' | 'forbidden' | 'rate_limited' | 'invalid_input';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
