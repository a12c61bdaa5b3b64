// Destinations the manager forwards alerts, response actions and audit entries to (a SIEM):
// syslog over TLS with a CEF payload, or OCSF JSON POSTed to a webhook, HMAC-signed.
// A destination's secret is write-only: it is accepted here and never part of a view.
import { z } from 'zod';

export const forwardKinds = ['alert', 'action', 'audit'] as const;
export const ForwardKind = z.enum(forwardKinds);
export type ForwardKind = z.infer<typeof ForwardKind>;

const name = z.string().trim().min(1).max(64);
const kinds = z
  .array(ForwardKind)
  .min(1)
  .max(3)
  .default([...forwardKinds]);
const host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:-]+$/, 'a host name or IP address');

/** RFC 5424 over TLS (RFC 5425), octet-counted frames (RFC 6587), CEF in the message. */
export const SyslogDestinationConfig = z.strictObject({
  type: z.literal('syslog'),
  host,
  port: z.number().int().min(1).max(65_535),
  /** PEM of the CA that issued the receiver's certificate; the system's CAs when absent. */
  caPem: z.string().max(20_000).optional(),
  /** The name the receiver's certificate must carry, when not `host`. */
  serverName: z.string().max(253).optional(),
});

/** OCSF JSON POSTed to an https:// (or loopback http://) URL, signed with the destination's secret. */
export const WebhookDestinationConfig = z.strictObject({
  type: z.literal('webhook'),
  url: z
    .string()
    .url()
    .max(2_048)
    .refine((url) => /^https:\/\//.test(url) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url), {
      message: 'must be https://, or http:// to a loopback address',
    }),
  /** HMAC-SHA-256 key, at least 32 characters; never answered back. */
  secret: z.string().min(32).max(512),
});

export const DestinationConfig = z.discriminatedUnion('type', [SyslogDestinationConfig, WebhookDestinationConfig]);
export type DestinationConfig = z.infer<typeof DestinationConfig>;

/** POST /api/v1/forwarding/destinations */
export const CreateDestinationRequest = z.strictObject({
  name,
  enabled: z.boolean().default(true),
  kinds,
  config: DestinationConfig,
});
export type CreateDestinationRequest = z.infer<typeof CreateDestinationRequest>;

/** PATCH /api/v1/forwarding/destinations/:id — a new config replaces the old one whole (secret included). */
export const UpdateDestinationRequest = z.strictObject({
  name: name.optional(),
  enabled: z.boolean().optional(),
  kinds: z.array(ForwardKind).min(1).max(3).optional(),
  config: DestinationConfig.optional(),
});
export type UpdateDestinationRequest = z.infer<typeof UpdateDestinationRequest>;

export const DestinationView = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  kinds: z.array(ForwardKind),
  type: z.enum(['syslog', 'webhook']),
  /** `host:port` or the URL; never the secret. */
  target: z.string(),
  createdAt: z.number().int(),
  createdBy: z.string(),
  counts: z.object({ pending: z.number().int(), delivered: z.number().int(), dead: z.number().int() }),
  /** When the receiver last took a record; null until it first has. */
  lastDeliveredAt: z.number().int().nullable(),
});
export type DestinationView = z.infer<typeof DestinationView>;

export const DeadLetterView = z.object({
  eventId: z.string(),
  kind: ForwardKind,
  attempts: z.number().int(),
  lastError: z.string(),
  createdAt: z.number().int(),
  deadAt: z.number().int(),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;

export const DestinationList = z.array(DestinationView);
export type DestinationList = z.infer<typeof DestinationList>;
export const DeadLetterList = z.array(DeadLetterView);
export type DeadLetterList = z.infer<typeof DeadLetterList>;

/** POST /api/v1/forwarding/destinations/:id/test — one test record sent now, outside the outbox. */
export const TestDeliveryResult = z.object({
  delivered: z.boolean(),
  /** Why the receiver did not take it (the sender's words, at most 480 characters). */
  error: z.string().optional(),
});
export type TestDeliveryResult = z.infer<typeof TestDeliveryResult>;

/** GET /api/v1/forwarding/destinations/:id/dead-letters?limit= — newest first. */
export const DeadLetterQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1_000).default(100) });
export type DeadLetterQuery = z.infer<typeof DeadLetterQuery>;
