// A protection policy: a versioned document of tiers, lowest first (the order in which
// a workstation's tier rises), each with the settings an agent applies. One schema for
// the manager (which validates an admin's edit and signs the chosen tier's settings)
// and the agent (which validates them again after checking the signature: the
// manager's word is trusted only once verified, and a bug on either side is caught).
import { z } from 'zod';

export const removableMediaModes = ['allowed', 'read_only', 'copies_sealed', 'blocked'] as const;
export const RemovableMediaMode = z.enum(removableMediaModes);
export type RemovableMediaMode = z.infer<typeof RemovableMediaMode>;

export const TlsMinVersion = z.enum(['TLSv1.2', 'TLSv1.3']);
export type TlsMinVersion = z.infer<typeof TlsMinVersion>;

export const MAX_TIERS = 8;
export const MAX_SEALED_FOLDERS = 32;
export const MAX_CIPHERS = 32;
/** The idle lock is at most a day away; 0 turns it off. */
export const MAX_IDLE_LOCK_SECONDS = 86_400;

export const TierId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'use 1-32 lower-case letters, digits, dash or underscore, starting with a letter');
export type TierId = z.infer<typeof TierId>;

/** An absolute folder (POSIX `/…`, Windows `C:\…`), or one under the user's home (`~/…`); never `..`. */
export const SealedFolder = z
  .string()
  .min(2)
  .max(512)
  .refine((p) => /^(\/|~\/|[A-Za-z]:\\)/.test(p), 'an absolute folder: /…, ~/… or C:\\…')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'no ".." in a folder')
  .refine((p) => ![...p].some((c) => c.charCodeAt(0) < 0x20), 'no control characters');

/** An OpenSSL cipher suite name (e.g. TLS_AES_256_GCM_SHA384, ECDHE-ECDSA-AES256-GCM-SHA384). */
export const CipherName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{3,64}$/, 'an OpenSSL cipher suite name (letters, digits, dash, underscore)');

/** How the reason of a bulk unseal (a tier drop) begins; the manager accepts a workstation's token only with it. */
export const BULK_UNSEAL_REASON = 'bulk unseal:';

export const SealingSettings = z
  .object({
    enabled: z.boolean(),
    folders: z.array(SealedFolder).max(MAX_SEALED_FOLDERS),
    /**
     * When this tier replaces one that sealed folders this one does not seal (a tier that
     * dropped), their sealed files are opened again in place, each unwrapped and audited by
     * the manager. Off unless a policy says so: sealed files otherwise stay sealed.
     */
    unsealOnDrop: z.boolean().default(false),
  })
  .strict();
export type SealingSettings = z.infer<typeof SealingSettings>;

export const ManagerLinkSettings = z
  .object({
    minTlsVersion: TlsMinVersion,
    /** Allowed suites, in order of preference; empty keeps the agent's defaults. */
    ciphers: z.array(CipherName).max(MAX_CIPHERS),
  })
  .strict();
export type ManagerLinkSettings = z.infer<typeof ManagerLinkSettings>;

export const TierSettings = z
  .object({
    sealing: SealingSettings,
    removableMedia: RemovableMediaMode,
    diskEncryptionRequired: z.boolean(),
    managerLink: ManagerLinkSettings,
    /** Seconds without input before the screen locks; 0 = the policy sets no idle lock. */
    idleLockSeconds: z.number().int().min(0).max(MAX_IDLE_LOCK_SECONDS),
  })
  .strict();
export type TierSettings = z.infer<typeof TierSettings>;

export const PolicyTier = z
  .object({
    id: TierId,
    name: z.string().trim().min(1).max(64),
    settings: TierSettings,
  })
  .strict();
export type PolicyTier = z.infer<typeof PolicyTier>;

export const PolicyDocument = z
  .object({
    tiers: z.array(PolicyTier).min(1).max(MAX_TIERS),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const ids = new Set<string>();
    const names = new Set<string>();
    doc.tiers.forEach((tier, i) => {
      if (ids.has(tier.id)) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'id'], message: 'tier ids must differ' });
      const name = tier.name.toLowerCase();
      if (names.has(name))
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'name'], message: 'tier names must differ' });
      ids.add(tier.id);
      names.add(name);
    });
  });
export type PolicyDocument = z.infer<typeof PolicyDocument>;
