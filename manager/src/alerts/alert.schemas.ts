import { AlertStatus } from '@wardwatch/shared';
import { z } from 'zod';

/** An alert id in a route. */
export const AlertId = z.string().min(1).max(64);

/** GET /api/v1/alerts query (the page shape itself is the shared AlertPage). */
export const AlertQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(256).optional(),
  status: AlertStatus.optional(),
});
export type AlertQuery = z.infer<typeof AlertQuery>;
