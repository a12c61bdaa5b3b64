// Removable media, through the response actions that already exist: `blocked` runs the
// removable-block action (writable removable mounts remounted read-only, USB storage
// deauthorised) without an end time, and a later tier that allows media runs its undo.
// The undo record is kept in removable-policy.json (0600) so that a restart between the
// two does not leave media blocked for good. `read_only` and `copies_sealed` need a
// mount guard and file sealing that this build does not have: reported as not enforced.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TierSettings } from '@wardwatch/shared';
import { z } from 'zod';
import { writeAtomic } from '../../identity/identity-store';
import type { ResponseActions, UndoRecord } from '../../response/actions/response-actions';
import type { AppliedStep, PolicyStep } from './policy-step';

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
  ) {}

  async apply(next: TierSettings): Promise<AppliedStep> {
    if (!this.actions)
      return {
        outcome:
          next.removableMedia === 'allowed'
            ? { state: 'applied', detail: 'allowed' }
            : { state: 'not_enforced', detail: 'no removable-media action on this platform' },
        undo: noop,
      };
    return this.applyWith(this.actions, next);
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
    if (next.removableMedia === 'allowed') return { outcome: { state: 'applied', detail: 'allowed' }, undo };
    return {
      outcome: { state: 'not_enforced', detail: `${next.removableMedia} is not enforced in this build` },
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
