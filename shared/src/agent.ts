// What the agent uses, without the manager's API schemas: the root index builds every
// zod schema of the manager's API at load (~2.4 MB of heap the agent would carry for its
// life, measured in one process); the agent imports from '@wardwatch/shared/agent'.
export * from './retry/backoff';
export * from './collections/recent-map';
export * from './collections/own-record';
export * from './hash/fnv1a';
export * from './portable';
export * from './features';
export * from './policy';
export * from './local-api/status.schema';
export * from './local-api/response.schema';
export * from './response/maintenance-code';
export * from './attack/rule-techniques';
export * from './logging/json-log-replacer';
export * from './drops/drop-reasons';
