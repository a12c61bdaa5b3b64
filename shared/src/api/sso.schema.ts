// Single sign-on as the dashboard sees it: only whether the manager offers it. The sign-in
// itself is a browser navigation (GET /api/v1/auth/oidc/start), not an API call.
import { z } from 'zod';

export const SsoStatus = z.object({ enabled: z.boolean() });
export type SsoStatus = z.infer<typeof SsoStatus>;

/** A provider identity an admin links to (or unlinks from) an existing user: the (issuer, sub) pair. */
export const SsoIdentityRequest = z.strictObject({
  issuer: z.url({ protocol: /^https?$/ }).max(512),
  subject: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
});
export type SsoIdentityRequest = z.infer<typeof SsoIdentityRequest>;

export const SsoIdentityView = z.object({
  issuer: z.string(),
  subject: z.string(),
  createdAt: z.number().int(),
  lastSignInAt: z.number().int().nullable(),
});
export type SsoIdentityView = z.infer<typeof SsoIdentityView>;
export const SsoIdentityList = z.object({ items: z.array(SsoIdentityView) });
export type SsoIdentityList = z.infer<typeof SsoIdentityList>;
