export type { ParsedLogin, ParseResult } from './parse-result';
export { capRaw, RAW_MAX_CHARS, type LoginAction, type LoginFacts, type MessageResult } from './login-facts';
export { parseSyslogHeader, type SyslogContext, type SyslogHeader } from './syslog-header';
export { matchAuthMessage } from './auth-message';
export { normaliseService } from './pam-messages';
export { parseLinuxAuthLine } from './linux-auth-line';
export { journalRecordSchema, parseJournalFields, parseJournalRecord, type JournalRecord } from './journal-record';
export { LOGON_TYPE_NAMES, parseWindowsSecurityEvent, parseWindowsSecurityFields } from './windows-security-event';
export { WINDOWS_LOGIN_EVENT_IDS, WINDOWS_SECURITY_SCRIPT } from './windows-security-script';
export {
  MACOS_LOGIN_PREDICATE,
  macosLogRecordSchema,
  parseMacosFields,
  parseMacosLogRecord,
  type MacosLogRecord,
} from './macos-log-record';
export { JOURNALCTL_ARGS, JournalReader, MacosLogReader, WindowsSecurityLogReader } from '../readers/os-readers';
export { NodeProcessSpawner, type ProcessSpawner, type SpawnedChild } from '../../process-spawner';
