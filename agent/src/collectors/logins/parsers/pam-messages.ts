// pam_unix messages: the modern `pam_unix(<service>:<type>): <body>` form any
// program can write, and the old `<service>(pam_unix)[pid]: <body>` form
// (RHEL 4-era), where the service sits in the program tag.
//
// pam_unix reports the failed attempts of one PAM conversation itself: the
// first as `authentication failure; …`, the rest when the conversation ends as
// `N more authentication failures; …` (sshd prints that one as `PAM N more …`).
// These lines are the `pam` layer of an attempt (login-facts `attempt`); the
// program usually reports the same attempts on its own, and the collector's
// AttemptLedger counts each attempt once.
//
// A `su` session's close is not a logoff: the open is the record of the
// privilege use (by the `by` user, see sessionLine), and the close names only
// the target account, which never logged on. It is ignored.
import { IGNORED, type LoginFacts, type MessageResult, parseError } from './login-facts';
import { sourceFields } from './source-address';

const PAM_PREFIX = /^pam_unix\(([^:)\s]{1,64}):([a-z]{1,16})\): ?([\s\S]*)$/;
const SESSION = /^session (opened|closed) for user ([^\s(]+)(?:\(uid=(\d+)\))?(?: by ([^\s(]*)(?:\(uid=(\d+)\))?)?/;
// \b: a key is tried only where a word starts, so a long run of word characters without
// '=' costs one pass, not one per character (quadratic: seconds for a padded line).
const KEY_VALUE = /\b(\w+)=(\S*)/g;
const MORE_FAILURES = /^(\d{1,6}) more authentication failures?;/;
/** A hostile `N more` cannot turn one line into an unbounded number of events. */
export const MAX_COUNT_PER_LINE = 1_000;

/**
 * Session lines from these PAM services are not logins: scheduled jobs, the
 * per-user systemd manager, display-manager greeters, and sudo (whose own
 * `user : TTY=… ; COMMAND=…` line is the record of each command).
 */
const NON_LOGIN_SESSION_SERVICES: ReadonlySet<string> = new Set([
  'cron',
  'crond',
  'CRON',
  'atd',
  'systemd-user',
  'sudo',
  'sudo-i',
  'runuser',
  'runuser-l',
  'gdm-launch-environment',
  'lightdm-greeter',
  'sddm-greeter',
]);

const SWITCH_USER_SERVICES: ReadonlySet<string> = new Set(['su', 'su-l']);

/** Service names as WardWatch reports them: gdm-password → gdm, su-l → su. */
export function normaliseService(service: string): string {
  if (service.startsWith('gdm-')) return 'gdm';
  if (service.startsWith('sddm')) return 'sddm';
  if (service === 'su-l') return 'su';
  if (service === 'sshd-session') return 'sshd';
  return service;
}

function methodFor(service: string): string {
  if (service === 'login') return 'console';
  if (service === 'gdm' || service === 'lightdm' || service === 'sddm') return 'graphical';
  if (service === 'su') return 'su';
  return 'pam';
}

function nameOrUid(name: string | undefined, uid: string | undefined): string {
  if (name) return name;
  if (uid === '0') return 'root';
  return uid ? `uid:${uid}` : '';
}

function sessionLine(rawService: string, body: string): MessageResult {
  const m = SESSION.exec(body);
  if (!m) return parseError(`pam_unix(${rawService}:session) "session" line without a user`);
  if (NON_LOGIN_SESSION_SERVICES.has(rawService)) return IGNORED;
  const service = normaliseService(rawService);
  const opened = m[1] === 'opened';
  const user = m[2];
  if (SWITCH_USER_SERVICES.has(rawService) && !opened) return IGNORED;
  if (SWITCH_USER_SERVICES.has(rawService)) {
    return {
      kind: 'login',
      facts: {
        action: 'privilege_use',
        outcome: 'success',
        service,
        method: 'su',
        user: nameOrUid(m[4], m[5]),
        targetUser: user,
      },
    };
  }
  return {
    kind: 'login',
    facts: { action: opened ? 'logon' : 'logoff', outcome: 'success', service, method: methodFor(service), user },
  };
}

function authFailure(rawService: string, body: string, count: number): MessageResult {
  const fields = new Map<string, string>();
  for (const m of body.matchAll(KEY_VALUE)) fields.set(m[1], m[2]);
  if (!fields.has('uid') && !fields.has('user') && !fields.has('rhost')) {
    return parseError(`pam_unix(${rawService}:auth) failure line without its fields`);
  }
  const service = normaliseService(rawService);
  const account = fields.get('user') ?? ''; // absent when the account does not exist
  const actor = fields.get('ruser') || fields.get('logname') || '';
  const rhost = fields.get('rhost') ?? '';
  const tty = (fields.get('tty') ?? '').replace(/^\/dev\//, '');
  const switching = SWITCH_USER_SERVICES.has(rawService) || rawService === 'sudo';
  const facts: LoginFacts = {
    action: 'failed_logon',
    outcome: 'failure',
    service,
    method: methodFor(service),
    user: switching && actor ? actor : account,
    targetUser: switching && actor ? account : undefined,
    tty: tty === 'ssh' || tty.startsWith('NODEV') ? undefined : tty || undefined,
    ...sourceFields(rhost),
    attempt: { layer: 'pam', count: Math.min(count, MAX_COUNT_PER_LINE) },
  };
  return { kind: 'login', facts };
}

/** The body after the `pam_unix(svc:type): ` prefix, or an old-form message. */
export function matchPamBody(rawService: string, type: string | undefined, body: string): MessageResult {
  if (body.startsWith('session ') && (type === undefined || type === 'session')) {
    if (body.startsWith('session opened') || body.startsWith('session closed')) return sessionLine(rawService, body);
    return IGNORED;
  }
  if (type !== undefined && type !== 'auth') return IGNORED;
  if (body.startsWith('authentication failure')) return authFailure(rawService, body, 1);
  const more = MORE_FAILURES.exec(body);
  if (more) return authFailure(rawService, body, Number(more[1]));
  // "check pass; user unknown", account expiry, password changes: not logins.
  return IGNORED;
}

/** A message that starts with `pam_unix(`. */
export function matchPamMessage(message: string): MessageResult {
  const m = PAM_PREFIX.exec(message);
  if (!m) return parseError('"pam_unix(" message without service and type');
  return matchPamBody(m[1], m[2], m[3]);
}
