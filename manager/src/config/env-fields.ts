// The kinds of value the manager's environment variables hold, shared by the settings files.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

export const port = z.coerce.number().int().min(0).max(65_535);
export const count = (min: number) => z.coerce.number().int().min(min).max(Number.MAX_SAFE_INTEGER);
/** Trimmed; empty is unset. */
export const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A path from the environment, relative ones taken from the manager's working folder. */
export function resolvePath(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
