import { z } from 'zod';

/** The `:id` of a user route (the request and answer bodies are the shared REST schemas). */
export const UserId = z.string().min(1).max(64);
