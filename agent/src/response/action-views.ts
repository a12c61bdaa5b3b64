// What the tray shows of the commands this agent received: one view per command,
// newest first, the oldest dropped past MAX_VIEWS so a flood of commands cannot
// grow the agent's memory. Views live in memory only; the journal is the record.
import type { ResponseActionView } from '@wardwatch/shared/agent';
import { actionKind } from './command-result';
import type { VerifiedCommand } from './verify-command';

const MAX_VIEWS = 200;

/** A command's state as it finished: what its result said and whether it can still be undone. */
export interface ViewResult {
  state: ResponseActionView['state'];
  message: string;
  /** False while the user is being warned. */
  final: boolean;
  undoExpiresAt: number | null | undefined;
}

export class ActionViews {
  private readonly views = new Map<string, ResponseActionView>();

  /** A command just accepted (or resumed after a restart). */
  received(payload: VerifiedCommand, now: number, message = 'received'): void {
    this.views.set(payload.commandId, {
      commandId: payload.commandId,
      kind: actionKind(payload.action.$case),
      state: 'warning',
      reason: payload.reason.slice(0, 500),
      automatic: payload.automatic,
      receivedAt: now,
      runsAt: null,
      finishedAt: null,
      message,
      undoable: false,
      expiresAt: null,
    });
    while (this.views.size > MAX_VIEWS) {
      const oldest = this.views.keys().next().value;
      if (oldest === undefined) break;
      this.views.delete(oldest);
    }
  }

  list(): ResponseActionView[] {
    return [...this.views.values()].sort((a, b) => b.receivedAt - a.receivedAt);
  }

  warned(commandId: string, runsAt: number): void {
    this.change(commandId, { runsAt });
  }

  finished(commandId: string, result: ViewResult, now: number): void {
    this.change(commandId, (view) => ({
      state: result.state,
      message: result.message,
      finishedAt: result.final ? now : null,
      runsAt: result.final ? null : view.runsAt,
      undoable: result.undoExpiresAt !== undefined,
      expiresAt: result.undoExpiresAt ?? null,
    }));
  }

  undone(commandId: string, now: number): void {
    this.change(commandId, { state: 'undone', undoable: false, finishedAt: now });
  }

  /** The command's view, or, when it is no longer kept, one that says only that it was undone. */
  undoneView(commandId: string, message: string, now: number): ResponseActionView {
    return (
      this.views.get(commandId) ?? {
        commandId,
        kind: 'undo',
        state: 'undone',
        reason: '',
        automatic: false,
        receivedAt: now,
        runsAt: null,
        finishedAt: now,
        message,
        undoable: false,
        expiresAt: null,
      }
    );
  }

  private change(
    commandId: string,
    patch: Partial<ResponseActionView> | ((view: ResponseActionView) => Partial<ResponseActionView>),
  ): void {
    const view = this.views.get(commandId);
    if (view) this.views.set(commandId, { ...view, ...(typeof patch === 'function' ? patch(view) : patch) });
  }
}
