// Enrollment tokens as the dashboard lists them, and what it needs to write an agent's
// install command. The token itself is shown once, when created (EnrollmentTokenView);
// a listed token is known by the SHA-256 of its text, which is all the manager keeps.
import { z } from 'zod';

export const EnrollmentTokenState = z.enum(['active', 'used', 'expired', 'revoked']);
export type EnrollmentTokenState = z.infer<typeof EnrollmentTokenState>;

export const EnrollmentTokenSummary = z.object({
  /** SHA-256 (hex) of the token: names it without revealing it. */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  createdBy: z.string(),
  usedAt: z.number().int().nullable(),
  usedByAgent: z.string().nullable(),
  revokedAt: z.number().int().nullable(),
  state: EnrollmentTokenState,
});
export type EnrollmentTokenSummary = z.infer<typeof EnrollmentTokenSummary>;

export const EnrollmentTokenList = z.object({ items: z.array(EnrollmentTokenSummary) });
export type EnrollmentTokenList = z.infer<typeof EnrollmentTokenList>;

/** What an agent's config needs besides the token: where the gRPC port is and which CA to pin. */
export const AgentInstallInfo = z.object({
  /** The port the manager's gRPC server really listens on. */
  grpcPort: z.number().int().min(1).max(65_535),
  /** `sha256:<hex>` of the manager CA certificate (DER), as the agent config wants it. */
  caFingerprint: z.string(),
  /** Names and addresses the manager's server certificate is made for (localhost, its host name, WARDWATCH_TLS_SANS). */
  serverNames: z.array(z.string()),
});
export type AgentInstallInfo = z.infer<typeof AgentInstallInfo>;
