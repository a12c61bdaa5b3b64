// Imported as `@wardwatch/shared/oprf`: RFC 9497's OPRF (ristretto255-SHA512, base mode)
// for the agent (blind, finalize) and the manager (evaluate). Needs node:crypto.
export * from './expand-message';
export * from './ristretto-group';
export * from './oprf-suite';
export * from './load-oprf-suite';
export * from './rfc9497-vectors';
