// Imported first by main.tsx, before any schema is built: zod decides at schema
// construction whether to JIT-compile parsers with `new Function`. The manager's CSP
// forbids eval, and even zod's guarded probe would be reported as a violation.
import { z } from 'zod';

z.config({ jitless: true });
