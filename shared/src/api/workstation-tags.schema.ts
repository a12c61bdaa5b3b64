// Workstation tags and unit, set by an admin: playbooks match on them (a `shared-clinical`
// workstation is locked only with approval; caps count automatic actions per unit).
import { z } from 'zod';

export const MAX_WORKSTATION_TAGS = 16;

/** One tag: lower-case letters, digits and dashes, 1–32 characters (e.g. `shared-clinical`, `icu`). */
export const WorkstationTag = z.string().regex(/^[a-z0-9-]{1,32}$/, 'use 1–32 lower-case letters, digits or dashes');

/** A unit (ward, department): free text, at most 64 characters. */
export const WorkstationUnit = z.string().trim().min(1).max(64);

/** PATCH /api/v1/agents/:id — what an admin may change; an absent field stays as it is, unit null clears it. */
export const UpdateAgentRequest = z
  .strictObject({
    tags: z
      .array(WorkstationTag)
      .max(MAX_WORKSTATION_TAGS)
      .refine((tags) => new Set(tags).size === tags.length, 'tags must not repeat')
      .optional(),
    unit: WorkstationUnit.nullable().optional(),
  })
  .refine((body) => body.tags !== undefined || body.unit !== undefined, 'give tags, unit or both');
export type UpdateAgentRequest = z.infer<typeof UpdateAgentRequest>;
