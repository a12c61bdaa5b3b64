// Portable event format v1: one JSON object per line (NDJSON) describing one
// observation on one workstation. This is how recorded data sets from other
// sources, the simulator and the offline scoring CLI meet the agent's scorer.
// The README beside this file documents it; this schema is its only definition.
import { z } from 'zod';

export const PORTABLE_FORMAT_VERSION = 1;

/** ISO-8601 with an offset (or Z), or epoch milliseconds; parsed into epoch ms. */
const Time = z
  .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()])
  .transform((value) => (typeof value === 'number' ? value : Date.parse(value)));

export const FolderClass = z.enum(['phi', 'system', 'removable', 'other']);
export type FolderClass = z.infer<typeof FolderClass>;

const Base = z.object({
  v: z.literal(PORTABLE_FORMAT_VERSION),
  time: Time,
  host: z.string().min(1).max(256),
  user: z.string().min(1).max(256),
  /** Ground truth in simulated or labelled data: the scenario name; absent for benign. */
  label: z.string().max(128).optional(),
  /** Optional directory facts that let the scorer use peer groups. */
  role: z.string().max(64).optional(),
  unit: z.string().max(64).optional(),
});

const LogonFields = {
  method: z.string().max(64).optional(),
  sourceHost: z.string().max(256).optional(),
  sourceIp: z.string().max(64).optional(),
};

const FileFields = {
  path: z.string().min(1).max(4096),
  folderClass: FolderClass,
  extension: z.string().max(32).optional(),
  sizeBytes: z.number().nonnegative().optional(),
  /** Shannon entropy of a content sample in bits per byte (0–8). */
  entropy: z.number().min(0).max(8).optional(),
};

const DeviceFields = {
  deviceType: z.string().max(64),
  removable: z.boolean(),
};

const ProcessFields = {
  executable: z.string().min(1).max(4096),
  commandLine: z.string().max(8192).optional(),
  pid: z.number().int().optional(),
};

export const PortableEvent = z.discriminatedUnion('kind', [
  Base.extend({ kind: z.literal('logon'), ...LogonFields }),
  Base.extend({ kind: z.literal('logoff'), ...LogonFields }),
  Base.extend({ kind: z.literal('failed_logon'), ...LogonFields }),
  Base.extend({ kind: z.literal('device_connect'), ...DeviceFields }),
  Base.extend({ kind: z.literal('device_disconnect'), ...DeviceFields }),
  Base.extend({ kind: z.literal('file_create'), ...FileFields }),
  Base.extend({ kind: z.literal('file_write'), ...FileFields }),
  Base.extend({ kind: z.literal('file_delete'), ...FileFields }),
  /** A file opened to be read (the live agent: patient files, from the kernel audit). */
  Base.extend({ kind: z.literal('file_read'), ...FileFields }),
  Base.extend({ kind: z.literal('file_rename'), ...FileFields, previousPath: z.string().max(4096) }),
  Base.extend({
    kind: z.literal('file_copy'),
    ...FileFields,
    /** Where the copy went; `folderClass` describes the source. */
    targetPath: z.string().max(4096),
    targetFolderClass: FolderClass,
  }),
  Base.extend({ kind: z.literal('process_start'), ...ProcessFields }),
  Base.extend({ kind: z.literal('process_stop'), ...ProcessFields }),
  Base.extend({
    kind: z.literal('privilege_use'),
    targetUser: z.string().max(256).optional(),
    service: z.string().max(64).optional(),
  }),
  Base.extend({
    kind: z.literal('net_connect'),
    remoteAddress: z.string().min(1).max(256),
    remotePort: z.number().int().min(0).max(65535).optional(),
    process: z.string().max(4096).optional(),
  }),
]);
/** A parsed record: `time` is epoch milliseconds. */
export type PortableEvent = z.output<typeof PortableEvent>;
/** A record as written to a file: `time` may be ISO-8601 or epoch ms. */
export type PortableEventInput = z.input<typeof PortableEvent>;
export type PortableKind = PortableEvent['kind'];

export const PORTABLE_KINDS: readonly PortableKind[] = PortableEvent.options.map((option) => option.shape.kind.value);

export function isPortableKind(value: unknown): value is PortableKind {
  return typeof value === 'string' && (PORTABLE_KINDS as readonly string[]).includes(value);
}

export type FileKind = Extract<PortableKind, `file_${string}`>;
export type FilePortableEvent = Extract<PortableEvent, { kind: FileKind }>;
export function isFileEvent(event: PortableEvent): event is FilePortableEvent {
  return event.kind.startsWith('file_');
}
