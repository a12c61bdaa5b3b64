// The manager's whole configuration, parsed once from the environment at start-up.
// Nothing else in the manager reads process.env: it receives this typed object.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { UserRole } from '@wardwatch/shared';
import { pseudonymModes, type PseudonymMode } from '@wardwatch/shared/pseudonyms';
import { z } from 'zod';
import { count, optionalText, port, resolvePath } from './env-fields';
import { HttpEnvSchema, isLoopbackHost, parseHttp, type HttpConfig } from './http-settings';
import { OidcEnvSchema, parseOidc, type OidcConfig } from './oidc-settings';
import { parsePublicOrigin, type PublicOrigin } from './public-origin';
import { parseSyslogTarget, type SyslogTarget } from './syslog-target';
import { parseTierSettings, TierEnvSchema, type RolloutConfig, type ThreatTiersConfig } from './tier-settings';

export const EnvSchema = z
  .object({
    WARDWATCH_DATA_DIR: optionalText,
    DATABASE_URL: optionalText.refine((url) => url === undefined || /^postgres(ql)?:\/\//.test(url), {
      message: 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite database)',
    }),
    WARDWATCH_DB_SCHEMA: optionalText.refine(
      (schema) => schema === undefined || /^[a-z_][a-z0-9_]{0,62}$/.test(schema),
      {
        message: 'must be a lower-case PostgreSQL identifier',
      },
    ),
    WARDWATCH_GRPC_HOST: optionalText.default('0.0.0.0'),
    WARDWATCH_GRPC_PORT: port.default(50051),
    WARDWATCH_ADMIN_PASSWORD: optionalText.refine((pw) => pw === undefined || pw.length >= 12, {
      message: 'must be at least 12 characters',
    }),
    WARDWATCH_TLS_SANS: optionalText,
    WARDWATCH_METRICS_TOKEN: optionalText.refine((token) => token === undefined || /^[\x21-\x7e]{16,}$/.test(token), {
      message: 'must be at least 16 printable characters without spaces',
    }),
    // Dashboard sessions (auth/): ended after this long without a request, and this long after sign-in whatever happens.
    WARDWATCH_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1_440).default(30),
    WARDWATCH_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(12),
    WARDWATCH_RETENTION_EVENTS_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
    WARDWATCH_RETENTION_SCORES_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
    WARDWATCH_RETENTION_ALERTS_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
    WARDWATCH_RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
    WARDWATCH_RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(5_000),
    WARDWATCH_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    // What one agent may send (every workstation is treated as hostile): see intake/.
    WARDWATCH_GRPC_MAX_MESSAGE_BYTES: count(1_024).default(1_024 * 1_024),
    WARDWATCH_BATCH_MAX_EVENTS: count(1).default(1_000),
    WARDWATCH_BATCH_MAX_BYTES: count(1_024).default(768 * 1_024),
    WARDWATCH_BATCH_MAX_SCORES: count(1).default(1_000),
    WARDWATCH_AGENT_EVENTS_PER_SECOND: count(1).default(1_000),
    WARDWATCH_AGENT_EVENT_BURST: count(1).default(10_000),
    WARDWATCH_AGENT_EVENT_QUOTA: count(1).default(5_000_000),
    WARDWATCH_EVENT_MAX_FUTURE_SECONDS: count(0).default(300),
    WARDWATCH_EVENT_MAX_AGE_DAYS: count(1).default(30),
    WARDWATCH_ALERT_THRESHOLD: z.coerce.number().min(0).max(100).default(60),
    // Pseudonyms (pseudonym-oracle/): 'local-key' hands new agents the site's HMAC key; 'oprf' keeps
    // every key on the manager and evaluates blinded values for agents, capped per call and per agent.
    // No default here: the site's mode is recorded in its database at the first start (pseudonym-mode/),
    // DEFAULT_PSEUDONYM_MODE for a new site; this setting may only repeat it (or choose it for a new site).
    WARDWATCH_PSEUDONYM_MODE: z.enum(pseudonymModes).optional(),
    // The one deliberate switch of a recorded site mode (pseudonym-mode/, docs/privacy.md).
    WARDWATCH_PSEUDONYM_MODE_SWITCH: z.literal('local-key-to-oprf').optional(),
    // How often the evaluations of the past window are written to the audit trail, one row per agent.
    WARDWATCH_PSEUDONYM_AUDIT_MINUTES: z.coerce.number().int().min(1).max(1_440).default(60),
    WARDWATCH_PSEUDONYM_MAX_BATCH: z.coerce.number().int().min(1).max(4_096).default(64),
    // Per agent. One evaluation is ~0.2 ms of CPU in libsodium wasm (scripts/bench/oprf.bench.ts;
    // 2.1 ms in pure JS before): 6,000 a minute is 2 % of a core per agent at its ceiling, what 600
    // cost before; 50 agents at their ceiling at once fill the one worker thread of a 2-core manager
    // and leave it the other core. The burst is one minute of the rate.
    WARDWATCH_PSEUDONYM_VALUES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6_000),
    WARDWATCH_PSEUDONYM_BURST: z.coerce.number().int().min(1).max(1_000_000).default(6_000),
    // A reserve beside that rate for calls marked priority (a score's or a command's values): 0 = none.
    WARDWATCH_PSEUDONYM_PRIORITY_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
    WARDWATCH_PSEUDONYM_PRIORITY_BURST: z.coerce.number().int().min(1).max(1_000_000).default(64),
    // Where the OPRF arithmetic runs: a worker thread (default) or the event loop ('inline': tests, benches).
    WARDWATCH_PSEUDONYM_EVALUATION: z.enum(['worker', 'inline']).default('worker'),
    // Agent certificates: how long one is valid, and how soon an agent may renew again (pki/, enrollment/).
    WARDWATCH_AGENT_CERT_LIFETIME_SECONDS: z.coerce
      .number()
      .int()
      .min(2)
      .max(3_650 * 86_400)
      .default(365 * 86_400),
    WARDWATCH_AGENT_RENEW_MIN_INTERVAL_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(300),
    // An enrolled agent not heard from for this long raises an alert (0: never); see silent-agents/.
    WARDWATCH_SILENT_AGENT_SECONDS: z.coerce.number().int().min(0).max(604_800).default(300),
    WARDWATCH_SILENT_AGENT_CHECK_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
    WARDWATCH_SILENT_AGENT_SEVERITY: z.enum(['low', 'medium', 'high', 'critical']).default('high'),
    // An agent heard from whose audit of patient data failed raises an alert (0: never); see blind-agents/.
    WARDWATCH_BLIND_AGENT_CHECK_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
    WARDWATCH_BLIND_AGENT_SEVERITY: z.enum(['low', 'medium', 'high', 'critical']).default('high'),
    // Fleet-wide incidents (incidents/): how often episodes are written, and what makes one an incident.
    WARDWATCH_INCIDENT_FLUSH_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
    WARDWATCH_INCIDENT_SOURCE_MIN_ACCOUNTS: z.coerce.number().int().min(1).max(100_000).default(10),
    WARDWATCH_INCIDENT_SOURCE_MIN_FAILURES: z.coerce.number().int().min(1).max(1_000_000).default(20),
    WARDWATCH_INCIDENT_SOURCE_MIN_WORKSTATIONS: z.coerce.number().int().min(1).max(100_000).default(3),
    WARDWATCH_INCIDENT_SOURCE_QUIET_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
    WARDWATCH_INCIDENT_ACCOUNT_MIN_WORKSTATIONS: z.coerce.number().int().min(2).max(100_000).default(5),
    WARDWATCH_INCIDENT_ACCOUNT_QUIET_MINUTES: z.coerce.number().int().min(1).max(1_440).default(10),
    WARDWATCH_INCIDENT_MAX_TRACKED: z.coerce.number().int().min(10).max(100_000).default(1_000),
    // Playbooks (playbooks/): caps on automatic actions, when two people must approve, the site's clock.
    WARDWATCH_RESPONSE_MAX_AUTO_PER_MINUTE: z.coerce.number().int().min(0).max(10_000).default(20),
    WARDWATCH_RESPONSE_MAX_AUTO_PER_UNIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000).default(5),
    WARDWATCH_RESPONSE_BULK_THRESHOLD: z.coerce.number().int().min(1).max(100_000).default(5),
    WARDWATCH_SITE_TIME_ZONE: optionalText.default('UTC').refine(isTimeZone, {
      message: 'must be an IANA time zone such as Europe/Paris or UTC',
    }),

    // Separation of duties (duty-requests/): a privileged role grant and every re-identification
    // wait for a second person's approval, this long at most; an approved re-identification is
    // answered once, within the answer window. A site with one admin or one privacy officer sets
    // WARDWATCH_SINGLE_PERSON_SITE to why (at least 20 characters): then one person may act alone,
    // and that reason (or the one given with the action) goes into each audit record.
    WARDWATCH_SINGLE_PERSON_SITE: optionalText.refine((reason) => reason === undefined || reason.length >= 20, {
      message: 'give the reason this site runs without a second person (at least 20 characters), or leave it unset',
    }),
    WARDWATCH_DUTY_REQUEST_HOURS: z.coerce.number().int().min(1).max(168).default(24),
    WARDWATCH_REIDENTIFICATION_ANSWER_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),

    // How often pending approvals past their expiry are marked expired; see approvals/.
    WARDWATCH_APPROVAL_EXPIRY_CHECK_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),

    // Seals the command keys' private halves (commands/); unset: a secret file in the data folder.
    WARDWATCH_COMMAND_KEY_SECRET: optionalText.refine((secret) => secret === undefined || secret.length >= 32, {
      message: 'must be at least 32 characters',
    }),
    WARDWATCH_COMMAND_EXPIRY_CHECK_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),

    // Sign-in throttling (auth/throttle/): proxies whose X-Forwarded-For is believed, per-account
    // backoff, per-address token bucket, password-spray detection.
    WARDWATCH_TRUSTED_PROXIES: optionalText.refine(
      (list) => list === undefined || splitList(list).every(isAddressOrCidr),
      {
        message: 'must be a comma-separated list of IP addresses or CIDR ranges (e.g. 10.0.0.5, 10.1.0.0/16, fd00::/8)',
      },
    ),
    WARDWATCH_LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).max(100).default(3),
    // scrypt cost as log2(N). 17 is OWASP's current guidance; below it only for tests and tiny labs.
    WARDWATCH_PASSWORD_SCRYPT_LOG2N: z.coerce.number().int().min(14).max(20).default(17),
    WARDWATCH_LOGIN_BACKOFF_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    WARDWATCH_LOGIN_SOURCE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    WARDWATCH_LOGIN_SOURCE_BURST: z.coerce.number().int().min(1).max(10_000).default(20),
    WARDWATCH_LOGIN_SPRAY_ACCOUNTS: z.coerce.number().int().min(2).max(1_000).default(10),
    WARDWATCH_LOGIN_SPRAY_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
    // The audit trail (audit/): its key and checkpoint files (default: the data folder),
    // where checkpoints also go (syslog), and how often the chain is verified and checkpointed.
    WARDWATCH_AUDIT_KEY_FILE: optionalText,
    WARDWATCH_AUDIT_CHECKPOINT_FILE: optionalText,
    WARDWATCH_AUDIT_SYSLOG: optionalText
      .default('udp://127.0.0.1:514')
      .refine((t) => parseSyslogTarget(t) !== undefined, {
        message: 'must be udp://host:port, unix:/absolute/path or off',
      }),
    WARDWATCH_AUDIT_VERIFY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
    // Second factors (auth/mfa/): the roles that must sign in with one (a comma list, or
    // `none`), and the key file that seals their secrets (default: the data folder).
    WARDWATCH_MFA_REQUIRED_ROLES: z
      .string()
      .trim()
      .default('admin,privacy_officer')
      .refine((list) => list.toLowerCase() === 'none' || splitList(list).length > 0, {
        message: 'list one or more roles, or none',
      })
      .transform((list) => (list.toLowerCase() === 'none' ? [] : splitList(list)))
      .pipe(z.array(UserRole)),
    WARDWATCH_MFA_KEY_FILE: optionalText,
    // The dashboard's origin as browsers see it (security keys are bound to it); see public-origin.ts.
    WARDWATCH_PUBLIC_ORIGIN: optionalText,
    // Forwarding to SIEMs (forwarding/): how often the outbox is filled and drained, and how
    // many attempts a record gets (backoff doubling from 1 s up to 10 min) before it is a dead letter.
    WARDWATCH_FORWARD_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3_600).default(5),
    WARDWATCH_FORWARD_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
    // The key file that seals webhook secrets at rest (default: forwarding.key in the data folder).
    WARDWATCH_FORWARD_KEY_FILE: optionalText,
    // The master key sealing the workstations' KEKs (keys/): base64 of 32 bytes, or a file holding
    // it; neither: `master.key` in the data folder, made at first start.
    WARDWATCH_MASTER_KEY: optionalText.refine((key) => key === undefined || Buffer.from(key, 'base64').length === 32, {
      message: 'must be 32 bytes in base64 (e.g. openssl rand -base64 32)',
    }),
    WARDWATCH_MASTER_KEY_FILE: optionalText,
  })
  .extend(HttpEnvSchema.shape)
  .extend(OidcEnvSchema.shape)
  .extend(TierEnvSchema.shape);

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** An address, or a CIDR range whose prefix fits its family. */
function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface ForwardingConfig {
  /** Time between runs of the job that fills and drains the outbox. */
  intervalMs: number;
  /** Attempts per record before it becomes a dead letter. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Seals webhook secrets at rest, outside the database (forwarding/forward-secret-key.ts). */
  keyFile: string;
}

export type DatabaseConfig =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string | undefined };

export interface ManagerConfig {
  dataDir: string;
  database: DatabaseConfig;
  http: HttpConfig;
  grpc: { host: string; port: number };
  adminPassword: string | undefined;
  tlsSans: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** `GET /metrics`: with a token, bearer auth from anywhere; without, loopback callers only. */
  metrics: { token: string | undefined };
  /** Dashboard sessions: idle timeout and absolute lifetime (auth/session.service.ts). */
  sessions: SessionsConfig;
  /** Days each kind of record is kept (0: for ever); the audit log is never deleted. */
  retention: RetentionConfig;
  intake: IntakeLimits;
  alerts: { threshold: number };
  pseudonyms: PseudonymConfig;
  agentCertificates: AgentCertificateConfig;
  silentAgents: SilentAgentsConfig;
  blindAgents: BlindAgentsConfig;
  incidents: IncidentsConfig;
  playbooks: PlaybooksConfig;
  approvals: { expiryCheckIntervalMs: number };
  duties: DutiesConfig;
  masterKey: MasterKeyConfig;
  commands: CommandsConfig;
  signIn: SignInThrottleConfig;
  /** scrypt parameters for new password hashes (auth/password.hasher.ts). */
  passwordHashing: { N: number; r: number; p: number };
  audit: AuditConfig;
  forwarding: ForwardingConfig;
  mfa: MfaConfig;
  /** Single sign-on through OpenID Connect (auth/oidc/); undefined: password sign-in only. */
  oidc: OidcConfig | undefined;
  /** Threat-driven tiers of workstations and units (policies/threat-tiers/). */
  threatTiers: ThreatTiersConfig;
  /** Staged rollout of a new policy version (policies/rollout/). */
  rollout: RolloutConfig;
}

/** How tokens are made for new enrollments, and the OPRF evaluation's limits (pseudonym-oracle/). */
export interface PseudonymConfig {
  /** What the environment asks; the site's mode is what its database recorded (pseudonym-mode/). */
  requestedMode: PseudonymMode | undefined;
  /** The deliberate switch of a recorded local-key site to OPRF. */
  modeSwitch: 'local-key-to-oprf' | undefined;
  /** How often the evaluations are written to the audit trail (one row per agent per window). */
  auditIntervalMs: number;
  /** Blinded elements one EvaluatePseudonyms call may carry. */
  maxBatch: number;
  /** New values one agent may have evaluated per minute, with this burst. */
  valuesPerMinute: number;
  burst: number;
  /**
   * A separate bucket per agent for calls marked priority, taken before the one above (0 per
   * minute: none), so an agent whose events spent its rate still gets a score's values.
   */
  priorityPerMinute: number;
  priorityBurst: number;
  /** Where evaluation runs (blind-evaluator.ts): off the event loop by default. */
  evaluation: 'worker' | 'inline';
}

/** Separation of duties (duty-requests/). */
export interface DutiesConfig {
  /** Set: a single-person site, where one person may grant a privileged role or re-identify alone. */
  singlePersonReason: string | undefined;
  /** A pending request expires this long after it was made. */
  requestTtlMs: number;
  /** An approved re-identification may be answered (once) this long after the approval. */
  answerWindowMs: number;
}

/** Second factors at sign-in (auth/mfa/). */
export interface MfaConfig {
  /** A user of these roles without a second factor may only enrol. */
  requiredRoles: UserRole[];
  /** The key that seals TOTP secrets, outside the database (auth/mfa/mfa-keyring.ts). */
  keyFile: string;
  /** Where security keys (WebAuthn) are bound; undefined: they are off (config/public-origin.ts). */
  publicOrigin: PublicOrigin | undefined;
}

/** Sign-in throttling (auth/throttle/); each limit is checked before any password is hashed. */
export interface SignInThrottleConfig {
  /** Addresses and CIDR ranges of reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  /** Consecutive failures of one account that cost nothing; each further one doubles its wait from 1 s. */
  freeFailures: number;
  maxBackoffMs: number;
  /** Token bucket per client address: attempts per minute that reach the password check, and its size. */
  sourcePerMinute: number;
  sourceBurst: number;
  /** Failures on this many distinct accounts from one address within the window mark it as spraying. */
  sprayAccounts: number;
  sprayWindowMs: number;
}

export interface SessionsConfig {
  /** A session with no request for this long has ended. */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in, however busy. */
  maxLifetimeMs: number;
}

export interface AuditConfig {
  /** The chain's HMAC key and the checkpoints' signing key, outside the database (audit/audit-keyring.ts). */
  keyFile: string;
  /** Signed checkpoints, one per line (audit/audit-checkpoint.store.ts). */
  checkpointFile: string;
  syslog: SyslogTarget;
  /** How often the chain is verified and, when it holds, checkpointed; 0 turns the schedule off. */
  verifyIntervalMs: number;
}

export interface PlaybooksConfig {
  /** Automatic actions per minute, fleet-wide and per unit; over a cap one becomes an approval request. */
  maxAutoPerMinute: number;
  maxAutoPerUnitPerMinute: number;
  /** A proposal for more workstations than this needs two different approvers. */
  bulkThreshold: number;
  /** IANA time zone in which a playbook's time-of-day window is read. */
  siteTimeZone: string;
}

export interface MasterKeyConfig {
  /** WARDWATCH_MASTER_KEY (base64 of 32 bytes); wins over the file. */
  key: string | undefined;
  /** WARDWATCH_MASTER_KEY_FILE; undefined: `master.key` in the data folder (keys/master-key.provider.ts). */
  file: string | undefined;
}

export interface CommandsConfig {
  /** Seals the command keys at rest; undefined: the data folder's command-key.secret (commands/command-key.sealing.ts). */
  keySecret: string | undefined;
  /** How often queued commands past their expiry are marked expired. */
  expiryCheckIntervalMs: number;
}

export interface AgentCertificateConfig {
  /** Validity of a certificate issued at enrollment or renewal. */
  lifetimeMs: number;
  /** A renewal this soon after the last one is refused, so one stolen certificate cannot mint endless ones. */
  renewMinIntervalMs: number;
}

/** Thresholds of one incident rule, over one episode (activity without a `quietMs` gap). */
export interface IncidentRuleConfig {
  quietMs: number;
  minAccounts: number;
  minFailures: number;
  minWorkstations: number;
}

export interface IncidentsConfig {
  /** 0 turns the flush (and so incidents) off. */
  flushIntervalMs: number;
  limits: {
    sourceFailedLogons: IncidentRuleConfig;
    accountCrossHost: IncidentRuleConfig;
    maxTracked: number;
    maxDistinct: number;
    maxEvidence: number;
  };
}

export interface SilentAgentsConfig {
  /** No heartbeat (nor any message) for this long raises an alert; 0 turns the check off. */
  afterMs: number;
  checkIntervalMs: number;
  severity: 'low' | 'medium' | 'high' | 'critical';
}

export interface BlindAgentsConfig {
  /** How often agents' last health is looked at; 0 turns the check off. */
  checkIntervalMs: number;
  severity: 'low' | 'medium' | 'high' | 'critical';
}

export interface RetentionConfig {
  eventsDays: number;
  scoresDays: number;
  alertsDays: number;
  intervalMs: number;
  /** Rows deleted per statement, so that a large delete never holds the database for long. */
  batchSize: number;
}

/** What one agent may send; checked at the gRPC edge before any per-event work (intake/). */
export interface IntakeLimits {
  /** grpc-js refuses a larger message before decoding it. */
  maxMessageBytes: number;
  maxEventsPerBatch: number;
  maxBatchBytes: number;
  maxScoresPerBatch: number;
  /** Token bucket per agent: refill rate and size. */
  eventsPerSecond: number;
  eventBurst: number;
  /** Events stored per agent before further batches are refused. */
  eventQuota: number;
  /** Event times later than now + this, or older than now - maxEventAgeMs, are refused. */
  maxFutureMs: number;
  maxEventAgeMs: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment into the manager's configuration, or throws a ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>, cwd: string): ManagerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolvePath(e.WARDWATCH_DATA_DIR ?? '.wardwatch/manager', cwd);
  const http = parseHttp(e, cwd);
  if (Array.isArray(http)) throw new ConfigError(`invalid configuration:\n${http.map((p) => `  ${p}`).join('\n')}`);
  const oidc = parseOidc(e, { host: http.host, port: http.port, tls: http.tls.kind !== 'off' });
  if (Array.isArray(oidc)) throw new ConfigError(`invalid configuration:\n${oidc.map((p) => `  ${p}`).join('\n')}`);
  const publicOrigin = parsePublicOrigin(e.WARDWATCH_PUBLIC_ORIGIN, {
    loopback: isLoopbackHost(http.host),
    tls: http.tls.kind !== 'off',
    port: http.port,
  });
  if (typeof publicOrigin === 'string') throw new ConfigError(`invalid configuration:\n  ${publicOrigin}`);
  const tiers = parseTierSettings(e);
  if (Array.isArray(tiers)) throw new ConfigError(`invalid configuration:\n${tiers.map((p) => `  ${p}`).join('\n')}`);
  return {
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, schema: e.WARDWATCH_DB_SCHEMA }
      : { kind: 'sqlite', file: resolve(dataDir, 'wardwatch.sqlite') },
    http,
    grpc: { host: e.WARDWATCH_GRPC_HOST, port: e.WARDWATCH_GRPC_PORT },
    adminPassword: e.WARDWATCH_ADMIN_PASSWORD,
    tlsSans: (e.WARDWATCH_TLS_SANS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    logLevel: e.WARDWATCH_LOG_LEVEL,
    metrics: { token: e.WARDWATCH_METRICS_TOKEN },
    sessions: {
      idleTimeoutMs: e.WARDWATCH_SESSION_IDLE_MINUTES * 60_000,
      maxLifetimeMs: e.WARDWATCH_SESSION_MAX_HOURS * 3_600_000,
    },
    retention: {
      eventsDays: e.WARDWATCH_RETENTION_EVENTS_DAYS,
      scoresDays: e.WARDWATCH_RETENTION_SCORES_DAYS,
      alertsDays: e.WARDWATCH_RETENTION_ALERTS_DAYS,
      intervalMs: e.WARDWATCH_RETENTION_INTERVAL_MINUTES * 60_000,
      batchSize: e.WARDWATCH_RETENTION_BATCH_SIZE,
    },
    intake: {
      maxMessageBytes: e.WARDWATCH_GRPC_MAX_MESSAGE_BYTES,
      maxEventsPerBatch: e.WARDWATCH_BATCH_MAX_EVENTS,
      maxBatchBytes: e.WARDWATCH_BATCH_MAX_BYTES,
      maxScoresPerBatch: e.WARDWATCH_BATCH_MAX_SCORES,
      eventsPerSecond: e.WARDWATCH_AGENT_EVENTS_PER_SECOND,
      eventBurst: e.WARDWATCH_AGENT_EVENT_BURST,
      eventQuota: e.WARDWATCH_AGENT_EVENT_QUOTA,
      maxFutureMs: e.WARDWATCH_EVENT_MAX_FUTURE_SECONDS * 1_000,
      maxEventAgeMs: e.WARDWATCH_EVENT_MAX_AGE_DAYS * 86_400_000,
    },
    alerts: { threshold: e.WARDWATCH_ALERT_THRESHOLD },
    pseudonyms: {
      requestedMode: e.WARDWATCH_PSEUDONYM_MODE,
      modeSwitch: e.WARDWATCH_PSEUDONYM_MODE_SWITCH,
      auditIntervalMs: e.WARDWATCH_PSEUDONYM_AUDIT_MINUTES * 60_000,
      maxBatch: e.WARDWATCH_PSEUDONYM_MAX_BATCH,
      valuesPerMinute: e.WARDWATCH_PSEUDONYM_VALUES_PER_MINUTE,
      burst: e.WARDWATCH_PSEUDONYM_BURST,
      priorityPerMinute: e.WARDWATCH_PSEUDONYM_PRIORITY_PER_MINUTE,
      priorityBurst: e.WARDWATCH_PSEUDONYM_PRIORITY_BURST,
      evaluation: e.WARDWATCH_PSEUDONYM_EVALUATION,
    },
    agentCertificates: {
      lifetimeMs: e.WARDWATCH_AGENT_CERT_LIFETIME_SECONDS * 1_000,
      renewMinIntervalMs: e.WARDWATCH_AGENT_RENEW_MIN_INTERVAL_SECONDS * 1_000,
    },
    silentAgents: {
      afterMs: e.WARDWATCH_SILENT_AGENT_SECONDS * 1_000,
      checkIntervalMs: e.WARDWATCH_SILENT_AGENT_CHECK_SECONDS * 1_000,
      severity: e.WARDWATCH_SILENT_AGENT_SEVERITY,
    },
    blindAgents: {
      checkIntervalMs: e.WARDWATCH_BLIND_AGENT_CHECK_SECONDS * 1_000,
      severity: e.WARDWATCH_BLIND_AGENT_SEVERITY,
    },
    incidents: {
      flushIntervalMs: e.WARDWATCH_INCIDENT_FLUSH_SECONDS * 1_000,
      limits: {
        sourceFailedLogons: {
          quietMs: e.WARDWATCH_INCIDENT_SOURCE_QUIET_MINUTES * 60_000,
          minAccounts: e.WARDWATCH_INCIDENT_SOURCE_MIN_ACCOUNTS,
          minFailures: e.WARDWATCH_INCIDENT_SOURCE_MIN_FAILURES,
          minWorkstations: e.WARDWATCH_INCIDENT_SOURCE_MIN_WORKSTATIONS,
        },
        // Only the workstation count decides for an account.
        accountCrossHost: {
          quietMs: e.WARDWATCH_INCIDENT_ACCOUNT_QUIET_MINUTES * 60_000,
          minAccounts: Number.MAX_SAFE_INTEGER,
          minFailures: Number.MAX_SAFE_INTEGER,
          minWorkstations: e.WARDWATCH_INCIDENT_ACCOUNT_MIN_WORKSTATIONS,
        },
        maxTracked: e.WARDWATCH_INCIDENT_MAX_TRACKED,
        maxDistinct: 256,
        maxEvidence: 200,
      },
    },
    playbooks: {
      maxAutoPerMinute: e.WARDWATCH_RESPONSE_MAX_AUTO_PER_MINUTE,
      maxAutoPerUnitPerMinute: e.WARDWATCH_RESPONSE_MAX_AUTO_PER_UNIT_PER_MINUTE,
      bulkThreshold: e.WARDWATCH_RESPONSE_BULK_THRESHOLD,
      siteTimeZone: e.WARDWATCH_SITE_TIME_ZONE,
    },

    approvals: { expiryCheckIntervalMs: e.WARDWATCH_APPROVAL_EXPIRY_CHECK_SECONDS * 1_000 },
    duties: {
      singlePersonReason: e.WARDWATCH_SINGLE_PERSON_SITE,
      requestTtlMs: e.WARDWATCH_DUTY_REQUEST_HOURS * 3_600_000,
      answerWindowMs: e.WARDWATCH_REIDENTIFICATION_ANSWER_MINUTES * 60_000,
    },

    masterKey: {
      key: e.WARDWATCH_MASTER_KEY,
      file: e.WARDWATCH_MASTER_KEY_FILE === undefined ? undefined : resolvePath(e.WARDWATCH_MASTER_KEY_FILE, cwd),
    },
    commands: {
      keySecret: e.WARDWATCH_COMMAND_KEY_SECRET,
      expiryCheckIntervalMs: e.WARDWATCH_COMMAND_EXPIRY_CHECK_SECONDS * 1_000,
    },
    signIn: {
      trustedProxies: splitList(e.WARDWATCH_TRUSTED_PROXIES ?? ''),
      freeFailures: e.WARDWATCH_LOGIN_FREE_FAILURES,
      maxBackoffMs: e.WARDWATCH_LOGIN_BACKOFF_MAX_SECONDS * 1_000,
      sourcePerMinute: e.WARDWATCH_LOGIN_SOURCE_PER_MINUTE,
      sourceBurst: e.WARDWATCH_LOGIN_SOURCE_BURST,
      sprayAccounts: e.WARDWATCH_LOGIN_SPRAY_ACCOUNTS,
      sprayWindowMs: e.WARDWATCH_LOGIN_SPRAY_WINDOW_SECONDS * 1_000,
    },
    passwordHashing: { N: 2 ** e.WARDWATCH_PASSWORD_SCRYPT_LOG2N, r: 8, p: 1 },

    audit: {
      keyFile: resolvePath(e.WARDWATCH_AUDIT_KEY_FILE ?? resolve(dataDir, 'audit.key'), cwd),
      checkpointFile: resolvePath(
        e.WARDWATCH_AUDIT_CHECKPOINT_FILE ?? resolve(dataDir, 'audit-checkpoints.ndjson'),
        cwd,
      ),
      syslog: parseSyslogTarget(e.WARDWATCH_AUDIT_SYSLOG)!,
      verifyIntervalMs: e.WARDWATCH_AUDIT_VERIFY_SECONDS * 1_000,
    },
    forwarding: {
      intervalMs: e.WARDWATCH_FORWARD_INTERVAL_SECONDS * 1_000,
      maxAttempts: e.WARDWATCH_FORWARD_MAX_ATTEMPTS,
      keyFile: resolvePath(e.WARDWATCH_FORWARD_KEY_FILE ?? resolve(dataDir, 'forwarding.key'), cwd),
      backoffBaseMs: 1_000,
      backoffMaxMs: 600_000,
    },
    mfa: {
      requiredRoles: [...new Set(e.WARDWATCH_MFA_REQUIRED_ROLES)],
      keyFile: resolvePath(e.WARDWATCH_MFA_KEY_FILE ?? resolve(dataDir, 'mfa.key'), cwd),
      publicOrigin,
    },
    oidc,
    threatTiers: tiers.tiers,
    rollout: tiers.rollout,
  };
}

/** Injection token for the parsed configuration. */
export const MANAGER_CONFIG = Symbol('ManagerConfig');
