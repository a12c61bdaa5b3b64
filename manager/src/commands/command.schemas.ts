import { z } from 'zod';

/** The `:id` of a command route (bodies and answers are the shared REST schemas). */
export const CommandId = z.string().min(1).max(64);
/** The `:id` of an agent route. */
export const AgentIdParam = z.string().min(1).max(64);
