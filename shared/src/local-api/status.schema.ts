// The agent's local API (loopback HTTP, bearer token from a file only the local
// admin can read): the only way the tray, or anything else on the workstation,
// talks to the agent.
import { z } from 'zod';

export const LOCAL_API_VERSION = 'v1';

/** The analysts' verdicts an agent holds, by kind, and when the latest was decided (null: none). */
export const VerdictKinds = z.object({
  falsePositive: z.number().int().min(0),
  benign: z.number().int().min(0),
  truePositive: z.number().int().min(0),
  latestDecidedAt: z.number().int().nullable(),
});
export type VerdictKinds = z.infer<typeof VerdictKinds>;

/**
 * Patient files opened to be read (the agent's reads collector) since the start: `seen` before any
 * filter, `reported` as events; the rest were not a person's read (`repeated` within the window,
 * `unattended`: no login behind them, `ignoredExecutable`: an indexer the site names) or over the
 * minute's limit (`overLimit`, counted as drops too).
 */
/**
 * The components that say whether a workstation audits patient-file reads: the reads collector
 * (`stopped` with the reason where it is not made) and the check that audit rules cover every
 * patient-data folder. The manager's report reads them from heartbeats.
 */
export const READS_COMPONENT = 'collector.reads';
export const READ_RULE_COMPONENT = 'collector.reads.rule';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ReadCounts = z.object({
  seen: count,
  reported: count,
  repeated: count,
  unattended: count,
  ignoredExecutable: count,
  overLimit: count,
});
export type ReadCounts = z.infer<typeof ReadCounts>;

export const AgentStatus = z.object({
  agentId: z.string().nullable(),
  version: z.string(),
  manager: z.object({
    address: z.string(),
    connected: z.boolean(),
    lastConnectedAt: z.number().int().nullable(),
    lastError: z.string().nullable(),
  }),
  lastEventAt: z.number().int().nullable(),
  counts: z.object({
    collected: z.number().int().min(0),
    sent: z.number().int().min(0),
    queued: z.number().int().min(0),
    dropped: z.number().int().min(0),
    /** Drops since the start by `<reason>.<class>.<category>`, e.g. `rate_limit.low.file`. */
    droppedByReason: z.record(z.string(), z.number().int().min(0)).optional(),
  }),
  /** The agent's self-watchdog: whether it is throttling itself, and why. */
  watchdog: z
    .object({
      throttled: z.boolean(),
      reason: z.string().nullable(),
      since: z.number().int().nullable(),
      cpuPercent: z.number().nullable(),
      rssBytes: z.number().int().nullable(),
    })
    .optional(),
  /** The agent's client certificate: when it expires, when it is renewed, how renewal goes. */
  certificate: z
    .object({
      notAfter: z.number().int(),
      renewAt: z.number().int(),
      renewal: z.enum(['scheduled', 'renewing', 'retrying', 'expired']),
      lastRenewedAt: z.number().int().nullable(),
      lastError: z.string().nullable(),
    })
    .optional(),
  /**
   * Local scoring, when on: windows scored and events it could not score. `late` counts events
   * dated before the windows still open: scored in windows of their own (a backlog after a
   * restart) or, older than the agent's `lateEventDays`, not scored, by reason.
   */
  scoring: z
    .object({
      state: z.enum(['opening', 'running', 'failed', 'stopped']),
      scored: z.number().int().min(0),
      alerts: z.number().int().min(0),
      /** Events not scored because scoring was opening (buffer full) or had failed. */
      notScored: z.number().int().min(0),
      late: z.object({
        scored: z.number().int().min(0),
        notScored: z.number().int().min(0),
        /** e.g. `beyond_late_bound`, `too_many_late_windows`. */
        notScoredByReason: z.record(z.string(), z.number().int().min(0)),
      }),
      /** Analysts' verdicts from the manager the agent holds: they decide what it learns (absent from older agents). */
      verdicts: z.number().int().min(0).optional(),
      /** The same by kind: false positives and benign windows are learned, true positives never (absent from older agents). */
      verdictKinds: VerdictKinds.optional(),
    })
    .optional(),
  /** Reads of patient files, where the agent collects them (absent where off, and from older agents). */
  reads: ReadCounts.optional(),
  collectors: z.array(
    z.object({
      name: z.string(),
      state: z.enum(['starting', 'running', 'stopped', 'failed']),
      error: z.string().nullable(),
    }),
  ),
  /**
   * Every part that can fail on its own (`collector.files`, `local-api`, `scoring`) and since
   * when it is in its state; `message` says why a failed one failed. Absent from older agents.
   */
  components: z
    .array(
      z.object({
        name: z.string(),
        state: z.enum(['running', 'failed', 'stopped']),
        message: z.string(),
        sinceMs: z.number().int(),
      }),
    )
    .optional(),
  startedAt: z.number().int(),
});
export type AgentStatus = z.infer<typeof AgentStatus>;

/** Recent events as the tray shows them: already pseudonymised, never raw. */
export const RecentEvent = z.object({
  id: z.string(),
  timeMs: z.number().int(),
  category: z.string(),
  action: z.string(),
  summary: z.string(),
});
export type RecentEvent = z.infer<typeof RecentEvent>;
export const RecentEvents = z.object({ items: z.array(RecentEvent) });
