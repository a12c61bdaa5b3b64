// Break-glass, maintenance mode and the maintenance codes already used, in
// response-guard.json (0600, written whole): a restart neither ends an emergency
// early nor lets a code be used twice. Periods carry their end time; one that
// ended while the agent was down is seen as ended when read.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeAtomic } from '../../identity/identity-store';

export const GUARD_STATE_FILE = 'response-guard.json';

const Period = z.object({ reason: z.string(), since: z.number().int(), until: z.number().int() });
export type GuardPeriod = z.infer<typeof Period>;

const GuardState = z.object({
  breakGlass: Period.nullable().default(null),
  maintenance: Period.extend({ codeId: z.string() }).nullable().default(null),
  /** Maintenance code ids used here, kept until the code itself has expired. */
  usedCodes: z
    .array(z.object({ codeId: z.string(), expiresAtMs: z.number() }))
    .max(10_000)
    .default([]),
});
export type GuardState = z.infer<typeof GuardState>;

export class GuardStateStore {
  private state: GuardState;

  constructor(readonly dataDir: string) {
    this.state = this.read();
  }

  get(): Readonly<GuardState> {
    return this.state;
  }

  update(change: (state: GuardState) => GuardState, now: number): void {
    const next = change(structuredClone(this.state));
    next.usedCodes = next.usedCodes.filter((c) => c.expiresAtMs > now);
    this.state = next;
    writeAtomic(join(this.dataDir, GUARD_STATE_FILE), `${JSON.stringify(this.state)}\n`, 0o600);
  }

  private read(): GuardState {
    const path = join(this.dataDir, GUARD_STATE_FILE);
    if (!existsSync(path)) return GuardState.parse({});
    try {
      const parsed = GuardState.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through
    }
    throw new Error(`${path} is damaged: remove it to start without break-glass or maintenance`);
  }
}
