// The agent's YAML config file: the one place settings come from (nothing else
// reads process.env). Unknown keys are errors, so a typo never silently falls
// back to a default.
import { posix } from 'node:path';
import { z } from 'zod';
import { ScoringSettings } from './scoring-settings';

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. manager.example.org:50051')
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65_535;
  }, 'port must be 1–65535');

export const caFingerprintPattern = /^sha256:[0-9a-f]{64}$/;

const caFingerprint = z
  .string()
  .transform((value) => {
    // Also accept the colon-separated form tools such as openssl print.
    const lower = value.trim().toLowerCase();
    const hex = lower.startsWith('sha256:') ? lower.slice('sha256:'.length) : lower;
    return `sha256:${hex.replaceAll(':', '')}`;
  })
  .pipe(z.string().regex(caFingerprintPattern, 'expected sha256:<64 hex digits> of the manager CA certificate (DER)'));

const nonEmptyPath = z.string().trim().min(1, 'must not be empty');

/** A normalised absolute path (the gate compares it with /proc/PID/exe, never a base name). */
const AllowedExecutable = z
  .string()
  .max(4_096)
  .refine((v) => v.startsWith('/') && posix.normalize(v) === v && !v.endsWith('/'), {
    message:
      'must be an absolute, normalised executable path such as /usr/bin/rsync (a bare name is refused: a renamed copy could carry it)',
  });

/** A folder's own name, as found at the top of a profile (no path). */
const ProfileFolderName = z
  .string()
  .min(1)
  .max(255)
  .refine((v) => !/[\\/]/.test(v) && v !== '.' && v !== '..', {
    message: 'must be a folder name such as Desktop, not a path',
  });

// 'removable' is given by the agent itself to a removable volume it watches while mounted.
export const FolderClass = z.enum(['phi', 'system', 'removable', 'other']);
export type FolderClass = z.infer<typeof FolderClass>;

export const AgentConfigFile = z.strictObject({
  manager: z.strictObject({
    address: hostPort,
    caFingerprint,
  }),
  enrollment: z
    .strictObject({
      token: z.string().trim().min(1, 'must not be empty').optional(),
      tokenFile: nonEmptyPath.optional(),
    })
    .refine((e) => !(e.token && e.tokenFile), 'give either token or tokenFile, not both')
    .optional(),
  dataDir: nonEmptyPath,
  watch: z
    .strictObject({
      folders: z.array(z.strictObject({ path: nonEmptyPath, class: FolderClass })).default([]),
      /** native: one inotify/FSEvents watch per folder (fs.watch); chokidar: the earlier engine. */
      engine: z.enum(['native', 'chokidar']).default('native'),
      /** Quiet time before a touched file is looked at (one event per burst of writes). */
      settleMs: z.number().int().min(0).max(10_000).default(50),
      /**
       * Profiles' cloud-synced folders (OneDrive, Dropbox, …: collectors/files/profile-folders.ts) are
       * watched for patient data arriving, nothing else, while a patient-data folder is watched.
       */
      syncFolders: z
        .strictObject({
          enabled: z.boolean().default(true),
          /** Where profiles live; default by platform (/home, /Users, C:\Users). */
          profileRoots: z.array(nonEmptyPath).max(20).optional(),
          discoverSeconds: z.number().int().min(5).max(86_400).default(60),
        })
        .prefault({}),
      /**
       * The folders a profile saves into (Desktop, Downloads, a personal tmp: where charts are
       * gathered before they are mailed or zipped), found with the synced folders under
       * `syncFolders.profileRoots` and watched like them for patient data arriving only, `depth`
       * subfolder levels down; with `profileTop`, the profile's own folder too, without its subfolders.
       */
      saveFolders: z
        .strictObject({
          enabled: z.boolean().default(true),
          names: z.array(ProfileFolderName).min(1).max(10).default(['Desktop', 'Documents', 'Downloads', 'tmp']),
          depth: z.number().int().min(0).max(8).default(2),
          profileTop: z.boolean().default(true),
        })
        .prefault({}),
      /**
       * The machine's shared scratch folders (/tmp, /var/tmp; C:\\Windows\\Temp), and each Windows
       * profile's own (AppData\\Local\\Temp, found with the profiles under `syncFolders.profileRoots`),
       * where a chart is staged before it is sent: watched for patient data arriving only, `depth` levels down.
       */
      scratchFolders: z
        .strictObject({
          enabled: z.boolean().default(true),
          /** Default by platform (collectors/files/scratch-folders.ts); a `*` part matches any one folder (64 at most). */
          paths: z.array(nonEmptyPath).max(20).optional(),
          depth: z.number().int().min(0).max(4).default(1),
        })
        .prefault({}),
      /**
       * Patient files opened to be read, from the kernel audit log where a read rule covers the
       * patient-data folders (collectors/reads/): one per person and file within `windowMinutes`,
       * at most `maxPerMinute`; reads by `ignoreExecutables` (a desktop indexer) are not a person's.
       */
      reads: z
        .strictObject({
          enabled: z.boolean().default(true),
          windowMinutes: z.number().int().min(1).max(1_440).default(10),
          maxPerMinute: z.number().int().min(1).max(100_000).default(600),
          // GNOME's indexer (Tracker 3, renamed LocalSearch): it reads every file in the folders it indexes.
          ignoreExecutables: z
            .array(AllowedExecutable)
            .max(64)
            .default([
              '/usr/libexec/tracker-miner-fs-3',
              '/usr/libexec/tracker-extract-3',
              '/usr/libexec/localsearch-3',
              '/usr/libexec/localsearch-extractor-3',
            ]),
        })
        .prefault({}),
    })
    .prefault({}),
  logins: z
    .strictObject({
      authLog: nonEmptyPath.optional(),
      // One source per host, so a line that both rsyslog and journald carry is counted once (agent/README.md).
      source: z.enum(['auto', 'authlog', 'journald', 'none']).default('auto'),
      sessions: z
        .strictObject({
          enabled: z.boolean().default(true),
          pollSeconds: z.number().int().min(1).max(3_600).default(15),
        })
        .prefault({}),
    })
    .prefault({}),
  processes: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Default: 1000 with /proc, 5000 with systeminformation. */
      pollMs: z.number().int().min(100).max(600_000).optional(),
      /** EXECVE records for short-lived processes; default /var/log/audit/audit.log when readable; false: off. */
      auditLog: z.union([nonEmptyPath, z.literal(false)]).optional(),
    })
    .prefault({}),
  devices: z
    .strictObject({
      enabled: z.boolean().default(true),
      pollMs: z.number().int().min(100).max(600_000).default(2_000),
      /** Watch each removable volume while mounted as folder class 'removable'. */
      watchRemovable: z.boolean().default(true),
    })
    .prefault({}),
  network: z
    .strictObject({
      enabled: z.boolean().default(true),
      // 2 s: a poll after a connect reads /proc/net/tcp{,6}, which walks the kernel's socket tables (~10 ms here); see agent/README.md.
      pollMs: z.number().int().min(100).max(600_000).default(2_000),
      /** One event per process and remote address:port within this window. */
      dedupSeconds: z.number().int().min(1).max(86_400).default(300),
      includeLoopback: z.boolean().default(false),
      udp: z.boolean().default(false),
    })
    .prefault({}),
  // Events per second each priority class may queue (agent/README.md, "Budget").
  budget: z
    .strictObject({
      low: z.number().min(0).default(200),
      normal: z.number().min(0).default(1_000),
      high: z.union([z.number().min(0), z.literal('unlimited')]).default('unlimited'),
      burstSeconds: z.number().min(0.1).max(3_600).default(5),
    })
    .prefault({}),
  // The agent's own limits (agent/README.md, "Watchdog").
  watchdog: z
    .strictObject({
      cpuPercent: z.number().min(1).max(800).default(25),
      rssMb: z.number().int().min(32).max(65_536).default(200),
      checkSeconds: z.number().min(0.5).max(600).default(5),
      /** The share of its budget the low class keeps while throttled. */
      lowBudgetFactor: z.number().min(0.01).max(1).default(0.1),
      /** How many times longer the polling collectors (processes, devices, network, open sessions) wait while throttled. */
      pollSlowdown: z.number().min(1).max(100).default(4),
    })
    .prefault({}),
  localApi: z
    .strictObject({ port: z.number().int().min(0, '0 picks a free port').max(65_535).default(47_800) })
    .default({ port: 47_800 }),
  heartbeatSeconds: z.number().int().min(1).max(3_600).default(30),
  // The durable outbox (agent/README.md, "Outbox"): a day's outage fits many times over.
  outbox: z
    .strictObject({
      maxMb: z.number().int().min(1).max(1_048_576).default(1_024),
      maxAgeHours: z.number().min(1).max(8_760).default(168),
      /** Group commit: fsync at most this often (0: after every append, i.e. each event-loop turn's events). */
      fsyncMs: z.number().int().min(0).max(10_000).default(200),
    })
    .prefault({}),
  /** Local scoring (agent/src/scoring/README.md); on by default. */
  scoring: ScoringSettings.prefault({}),
  // Signed response commands from the manager (agent/README.md, "Response").
  response: z
    .strictObject({
      /** false: every command fails "turned off" (keys are still pinned, results still sent). */
      enabled: z.boolean().default(true),
      /** true: every command is a dry run (logs and reports what it would do). */
      dryRun: z.boolean().default(false),
      /** Automatic actions this workstation runs in any minute; beyond it they are deferred. */
      maxAutomaticPerMinute: z.number().int().min(0).max(1_000).default(5),
      /** Local accounts, for matching a command's user pseudonym. */
      passwdFile: nonEmptyPath.default('/etc/passwd'),
      // Kernel-side ransomware gate (agent/src/response/fanotify/): where fanotify works, opens in
      // protected folders wait for the agent's answer; a process past `encryptedFiles` encrypted
      // copies is denied and its tree killed at once (critical: no warning), reported as a local action.
      gate: z
        .strictObject({
          enabled: z.boolean().default(true),
          folderClasses: z.array(FolderClass).max(4).default(['phi']),
          /** Encrypted-looking files written by one process before it is stopped (well under 10). */
          encryptedFiles: z.number().int().min(1).max(9).default(3),
          /** An open not answered by then is allowed (a stuck agent never freezes the workstation). */
          answerTimeoutMs: z.number().int().min(10).max(5_000).default(1_000),
          /**
           * Never gated: executables by absolute path (backup tools, the EHR client), matched against
           * /proc/PID/exe. A bare name is refused: a copied or renamed binary could carry it.
           */
          allowExecutables: z.array(AllowedExecutable).max(64).default([]),
          /** Directories marked at most (each subfolder is one mark); the rest is left to the /proc path. */
          maxDirectories: z.number().int().min(1).max(100_000).default(5_000),
          // Per user (a locker giving each child its own process group): `userFiles` encrypted-looking
          // files within `userWindowSeconds`, from two groups or more, deny that user's write opens in
          // the protected folders for `userDenySeconds` (renewed by each attempt, at most
          // `userDenyMaxSeconds`) and kill the writers. At most 9: a burst is stopped within 10 files.
          userFiles: z.number().int().min(2).max(9).default(6),
          userWindowSeconds: z.number().min(1).max(60).default(10),
          userDenySeconds: z.number().int().min(5).max(3_600).default(60),
          userDenyMaxSeconds: z.number().int().min(5).max(86_400).default(600),
        })
        .refine((g) => g.userDenyMaxSeconds >= g.userDenySeconds, {
          message: 'userDenyMaxSeconds must be at least userDenySeconds',
          path: ['userDenyMaxSeconds'],
        })
        .prefault({}),
    })
    .prefault({}),
  // The manager's signed protection policy (agent/src/policy/): where its settings are written.
  policy: z
    .strictObject({
      /** logind drop-in folder for the idle lock (Linux). */
      logindDropInDir: nonEmptyPath.default('/etc/systemd/logind.conf.d'),
      /** Reload logind after the drop-in changed (`systemctl reload systemd-logind`). */
      reloadLogind: z.boolean().default(true),
      /** How often the policy's sealing folders are swept for new files (while a tier seals). */
      sealSweepSeconds: z.number().int().min(5).max(3_600).default(30),
      /** A file changed more recently than this is left for the next sweep (it may still be written). */
      sealSettleSeconds: z.number().int().min(0).max(600).default(5),
      /** The home that `~/` in a sealing folder names; empty: the agent's own home. */
      sealingHome: z.string().max(512).default(''),
    })
    .prefault({}),
  // Earlier versions of protected files, for a restore after ransomware (agent/src/protection/versions/).
  protection: z
    .strictObject({
      versions: z
        .strictObject({
          // Off by default until its cost on a 100,000-file folder is measured: the first start copies every file.
          enabled: z.boolean().default(false),
          /** The watched folders of these classes are protected. */
          folderClasses: z.array(FolderClass).max(4).default(['phi']),
          /** A changed file is copied once it has not changed for this long. */
          quietMinutes: z.number().min(0.01).max(1_440).default(10),
          /** Budget: at most this, and at most `maxDiskShare` of the disk's free space at start. */
          maxMb: z.number().int().min(1).max(1_048_576).default(2_048),
          maxDiskShare: z.number().min(0.001).max(0.9).default(0.1),
          /** Larger files are not copied (counted). */
          maxFileMb: z.number().int().min(1).max(4_096).default(64),
        })
        .prefault({}),
    })
    .prefault({}),
});
export type AgentConfigFile = z.infer<typeof AgentConfigFile>;

/** The validated config with every path made absolute and defaults applied. */
export interface AgentConfig {
  configPath: string;
  manager: { address: string; caFingerprint: string };
  enrollment: { token?: string; tokenFile?: string };
  dataDir: string;
  watch: {
    folders: { path: string; class: FolderClass }[];
    engine: AgentConfigFile['watch']['engine'];
    settleMs: number;
    syncFolders: AgentConfigFile['watch']['syncFolders'];
    saveFolders: AgentConfigFile['watch']['saveFolders'];
    scratchFolders: AgentConfigFile['watch']['scratchFolders'];
    reads: AgentConfigFile['watch']['reads'];
  };
  /** authLog: null when not configured and the default /var/log/auth.log does not exist. */
  logins: {
    authLog: string | null;
    source: AgentConfigFile['logins']['source'];
    sessions: AgentConfigFile['logins']['sessions'];
  };
  processes: { enabled: boolean; pollMs?: number; auditLog?: string | false };
  devices: AgentConfigFile['devices'];
  network: AgentConfigFile['network'];
  localApi: { port: number };
  heartbeatSeconds: number;
  budget: AgentConfigFile['budget'];
  watchdog: AgentConfigFile['watchdog'];
  outbox: AgentConfigFile['outbox'];
  /** rulesDir made absolute when given. */
  scoring: ScoringSettings;
  response: AgentConfigFile['response'];
  /** logindDropInDir made absolute. */
  policy: AgentConfigFile['policy'];
  protection: AgentConfigFile['protection'];
}
