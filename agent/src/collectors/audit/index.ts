export { AuditFeed, type AuditFeedOptions, type AuditFeedStats, type AuditSubscriber } from './audit-feed';
export { AuditLogTail, DEFAULT_AUDIT_LOG, isReadable } from './audit-log-tail';
export { auditId, parseAuditLine, type AuditLineResult, type AuditRecord, type AuditRecordType } from './audit-record';
export { FileActorIndex, type FileActorIndexOptions, type FileActorIndexStats } from './file-actor-index';
