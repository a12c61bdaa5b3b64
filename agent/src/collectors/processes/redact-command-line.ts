// Command lines leave the workstation, so secrets typed into them must not:
// `password=…` style pairs (also in URL queries and -D properties), the value
// after `--password`-like flags, credentials in URLs (`scheme://user:pass@`),
// Authorization headers, and the secret flags of a few tools that take one
// positionally (`mysql -pSECRET`, `sshpass -p SECRET`, `redis-cli -a SECRET`,
// `curl -u user:SECRET`, `smbclient -U user%SECRET`, `openssl -pass pass:SECRET`).
// Redaction runs on the whole argv before the length cap, so a cut can never
// expose the tail of a secret.

export const REDACTED = '***';
export const DEFAULT_MAX_COMMAND_LINE_BYTES = 2048;

const SECRET_NAME = String.raw`[\w.-]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth|sig|signature|session[_-]?id|cookie)`;
/** `name=value` wherever a name can start: arg start, after -/--, ?, &, ;, space or comma. */
const SECRET_PAIR = new RegExp(String.raw`(^|[?&;\s,]|-{1,2}D?|\b)(${SECRET_NAME})(=|:(?=\S))([^&\s;,]+)`, 'gi');
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi;
const AUTH_HEADER = /\b((?:proxy-)?authorization\s*:\s*)(\S.*)$/i;
/** A flag whose next argument is a secret, for any program. */
const SECRET_FLAG = new RegExp(String.raw`^-{1,2}${SECRET_NAME}$`, 'i');

interface ToolRule {
  /** Flags whose following argument is wholly secret. */
  next?: readonly string[];
  /** Flags with the secret attached (`-pSECRET`). */
  attached?: readonly string[];
  /** Flags whose following argument is `user<sep>secret`. */
  userSecret?: { flags: readonly string[]; separator: string };
}

const MYSQL: ToolRule = { attached: ['-p'] };
const TOOLS: Readonly<Record<string, ToolRule>> = {
  mysql: MYSQL,
  mysqldump: MYSQL,
  mysqladmin: MYSQL,
  mariadb: MYSQL,
  'mariadb-dump': MYSQL,
  mysqlimport: MYSQL,
  sshpass: { next: ['-p'], attached: ['-p'] },
  'redis-cli': { next: ['-a'] },
  curl: { userSecret: { flags: ['-u', '--user', '-U', '--proxy-user'], separator: ':' } },
  wget: { next: ['--password', '--http-password', '--ftp-password', '--proxy-password'] },
  smbclient: { userSecret: { flags: ['-U', '--user'], separator: '%' } },
  openssl: { next: ['-pass', '-passin', '-passout', '-k'] },
  htpasswd: {},
};

function basename(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return (cut >= 0 ? path.slice(cut + 1) : path).toLowerCase().replace(/\.exe$/, '');
}

function redactText(arg: string): string {
  let out = arg.replace(URL_CREDENTIALS, `$1${REDACTED}$3`);
  out = out.replace(AUTH_HEADER, `$1${REDACTED}`);
  return out.replace(SECRET_PAIR, (_m, lead: string, name: string, sep: string) => `${lead}${name}${sep}${REDACTED}`);
}

function redactUserSecret(arg: string, separator: string): string {
  const at = arg.indexOf(separator);
  return at >= 0 ? `${arg.slice(0, at + 1)}${REDACTED}` : arg;
}

/** Redacts each argument; returns a new array. */
export function redactArgv(argv: readonly string[]): string[] {
  const tool = TOOLS[basename(argv[0] ?? '')];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const previous = i > 0 ? argv[i - 1] : '';
    if (i > 0 && (SECRET_FLAG.test(previous) || tool?.next?.includes(previous))) {
      out.push(REDACTED);
      continue;
    }
    if (i > 0 && tool?.userSecret?.flags.includes(previous)) {
      out.push(redactUserSecret(arg, tool.userSecret.separator));
      continue;
    }
    const attached = tool?.attached?.find(
      (flag) => arg.startsWith(flag) && arg.length > flag.length && !arg.startsWith('--'),
    );
    if (attached) {
      out.push(`${attached}${REDACTED}`);
      continue;
    }
    // openssl's `pass:SECRET` / `env:VAR` forms may also appear attached to other tools' flags.
    out.push(redactText(arg.startsWith('pass:') ? `pass:${REDACTED}` : arg));
  }
  return out;
}

/** Cuts to at most `maxBytes` of UTF-8 without splitting a character; marks the cut with `…`. */
export function capUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const buf = Buffer.from(text, 'utf8').subarray(0, Math.max(0, maxBytes - 3));
  let end = buf.length;
  // Step back over a partial multi-byte sequence (continuation bytes are 10xxxxxx).
  while (end > 0 && (buf[end - 1] & 0xc0) === 0x80) end -= 1;
  if (end > 0 && buf[end - 1] >= 0xc0) end -= 1;
  return `${buf.subarray(0, end).toString('utf8')}…`;
}

/** The command line as reported: redacted, joined with spaces, capped. */
export function redactCommandLine(argv: readonly string[], maxBytes = DEFAULT_MAX_COMMAND_LINE_BYTES): string {
  return capUtf8(redactArgv(argv).join(' '), maxBytes);
}
