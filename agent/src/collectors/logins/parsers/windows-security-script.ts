// The Security-log events the live Windows login reader asks for
// (windows-security-log/security-log-script.ts runs the query).
import { securityLogScript } from '../../windows-security-log/security-log-script';

export const WINDOWS_LOGIN_EVENT_IDS = [4624, 4625, 4634, 4647, 4648, 4672, 4778, 4779, 4800, 4801] as const;

export const WINDOWS_SECURITY_SCRIPT = securityLogScript(WINDOWS_LOGIN_EVENT_IDS);
