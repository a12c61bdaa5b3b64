// Single sign-on as the dashboard sees it: only whether the manager offers it. The sign-in
// itself is a browser navigation (GET /api/v1/auth/oidc/start), not an API call.
import { z } from 'zod';

export const SsoStatus = z.object({ enabled: z.boolean() });
export type SsoStatus = z.infer<typeof SsoStatus>;
