// Removable media, through the response actions that already exist: `blocked` runs the
// removable-block action (writable removable mounts remounted read-only, USB storage
// deauthorised) without an end time, and a later tier that allows media runs its undo.
// The undo record is kept in removable-policy.json (0600) so that a restart between the
// two does not leave media blocked for good. `read_only` and `copies_sealed` go to the
// RemovableMountGuard (policy/removable/): volumes remounted read-only, or files on them
// sealed by sweeps; without a guard (not Linux) they are reported as not enforced.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TierSettings } from '@wardwatch/shared/agent';
import { z } from 'zod';
import { writeAtomic } from '../../identity/identity-store';
import type { ResponseActions, UndoRecord } from '../../response/actions/response-actions';
import type { RemovableGuardMode, RemovableMountGuard } from '../removable/removable-mount-guard';
import type { AppliedStep, ApplyContext, PolicyStep } from './policy-step';

/** The guard calls this step uses. */
export type RemovableGuard = Pick<RemovableMountGuard, 'configure' | 'status'>;

export const REMOVABLE_POLICY_FILE = 'removable-policy.json';

const StoredUndo = z.object({
  kind: z.enum(['unblock_removable', 'enable_account', 'unlock']),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  expiresAtMs: z.number().nullable(),
});

export class RemovableMediaStep implements PolicyStep {
  readonly name = 'removable_media' as const;

  constructor(
    /** null: no response actions on this platform (nothing but `allowed` can be enforced). */
    private readonly actions: Pick<ResponseActions, 'blockRemovable' | 'undo'> | null,
    private readonly dataDir: string,
    /** read_only and copies_sealed; null: not enforced on this platform. */
    private readonly guard: RemovableGuard | null = null,
  ) {}

  async apply(next: TierSettings, current: TierSettings | null, context?: ApplyContext): Promise<AppliedStep> {
    const version = context?.policyVersion ?? 0;
    const mode = guardMode(next);
    const guard = this.guard;
    if (!guard) return this.withActions(next);
    const guardUndo = async () => {
      await guard.configure(current ? guardMode(current) : 'off', version);
    };
    if (mode === 'off') {
      // Volumes this guard made read-only are writable again before a block remounts them.
      await guard.configure('off', version);
      const applied = await this.withActions(next).catch(async (error: unknown) => {
        await guardUndo();
        throw error;
      });
      return { outcome: applied.outcome, undo: () => applied.undo().then(guardUndo) };
    }
    // A block held from a stricter tier is lifted first, then the guard takes the volumes.
    const applied = await this.withActions(next);
    const guarded = await guard.configure(mode, version).catch(async (error: unknown) => {
      // Some volumes may have been remounted: the previous mode again, then the block again.
      await guardUndo().catch(() => undefined);
      await applied.undo();
      throw error;
    });
    return {
      outcome: { state: 'applied', detail: `${next.removableMedia}: ${guarded.detail}`.slice(0, 300) },
      undo: () => guardUndo().then(() => applied.undo()),
    };
  }

  private withActions(next: TierSettings): Promise<AppliedStep> {
    if (this.actions) return this.applyWith(this.actions, next);
    const enforced = next.removableMedia === 'allowed' || (this.guard !== null && guardMode(next) !== 'off');
    return Promise.resolve({
      outcome: enforced
        ? { state: 'applied', detail: next.removableMedia }
        : { state: 'not_enforced', detail: 'no removable-media action on this platform' },
      undo: noop,
    });
  }

  status() {
    return this.guard?.status() ?? null;
  }

  private async applyWith(
    actions: Pick<ResponseActions, 'blockRemovable' | 'undo'>,
    next: TierSettings,
  ): Promise<AppliedStep> {
    const held = this.heldBlock();
    if (next.removableMedia === 'blocked') {
      if (held) return { outcome: { state: 'applied', detail: 'removable media stay blocked' }, undo: noop };
      const outcome = await actions.blockRemovable(0, { dryRun: false });
      if (!outcome.ok) throw new Error(`removable media could not be blocked: ${outcome.message}`);
      this.keep(outcome.undo ?? null);
      return {
        outcome: { state: 'applied', detail: `blocked: ${outcome.message}`.slice(0, 300) },
        undo: async () => {
          if (outcome.undo) await actions.undo(outcome.undo, { dryRun: false });
          this.keep(null);
        },
      };
    }
    if (held) {
      const outcome = await actions.undo(held, { dryRun: false });
      if (!outcome.ok) throw new Error(`removable media could not be unblocked: ${outcome.message}`);
      this.keep(null);
    }
    const undo = held
      ? async () => {
          const again = await actions.blockRemovable(0, { dryRun: false });
          this.keep(again.undo ?? null);
        }
      : noop;
    if (next.removableMedia === 'allowed' || this.guard)
      return { outcome: { state: 'applied', detail: next.removableMedia }, undo };
    return {
      outcome: { state: 'not_enforced', detail: `${next.removableMedia} is not enforced on this platform` },
      undo,
    };
  }

  private path(): string {
    return join(this.dataDir, REMOVABLE_POLICY_FILE);
  }

  private heldBlock(): UndoRecord | null {
    if (!existsSync(this.path())) return null;
    try {
      const parsed = StoredUndo.safeParse(JSON.parse(readFileSync(this.path(), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private keep(record: UndoRecord | null): void {
    if (record) writeAtomic(this.path(), JSON.stringify(record), 0o600);
    else rmSync(this.path(), { force: true });
  }
}

const noop = (): Promise<void> => Promise.resolve();

function guardMode(settings: TierSettings): RemovableGuardMode {
  return settings.removableMedia === 'read_only' || settings.removableMedia === 'copies_sealed'
    ? settings.removableMedia
    : 'off';
}
