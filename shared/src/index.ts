export * from './api/v1.schema';
export * from './local-api/status.schema';
export * from './retry/backoff';
export * from './features';
export * from './portable';
export * from './logging/json-log-replacer';
export * from './local-api/response.schema';
export * from './response/maintenance-code';
