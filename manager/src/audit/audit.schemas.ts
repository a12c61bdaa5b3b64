import { z } from 'zod';

/** GET /api/v1/audit query: newest first, paged by sequence number. */
export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeSeq: z.coerce.number().int().min(1).optional(),
});
