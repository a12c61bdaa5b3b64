// A ResponseControl kept in memory, for tests of the local API and of the tray
// against it (not part of the build). It refuses the way the real one does:
// a maintenance code other than GOOD_MAINTENANCE_CODE is 403, an unknown action
// 404, an action that cannot be undone 409.
import {
  ResponseControlError,
  type BreakGlassRequest,
  type BreakGlassView,
  type MaintenanceRequest,
  type MaintenanceView,
  type OpenSealedReport,
  type OpenSealedRequest,
  type ResponseActionView,
  type ResponseControl,
  type ResponseStatus,
  type RestoreFilesReport,
  type RestoreFilesRequest,
  type UndoRequest,
} from '@wardwatch/shared';

export const GOOD_MAINTENANCE_CODE = 'eyJ2IjoxfQ.c2lnbmF0dXJl.0123456789abcdef';

export class MemoryResponseControl implements ResponseControl {
  /** Every call, in order, with what matters of its request (never the code). */
  calls: string[] = [];
  /** Set to make status() throw, as a broken response side would. */
  failWith: Error | null = null;
  breakGlass: BreakGlassView = { active: false, reason: null, since: null, until: null };
  maintenance: MaintenanceView = { active: false, reason: null, until: null };

  constructor(
    private readonly now: () => number,
    public actions: ResponseActionView[] = [],
  ) {}

  status(): ResponseStatus {
    this.calls.push('status');
    if (this.failWith) throw this.failWith;
    return {
      commandsEnabled: true,
      dryRun: false,
      actions: this.actions,
      breakGlass: this.breakGlass,
      maintenance: this.maintenance,
    };
  }

  declareBreakGlass(request: BreakGlassRequest): Promise<BreakGlassView> {
    this.calls.push(`break-glass ${request.minutes} ${request.reason}`);
    const now = this.now();
    this.breakGlass = { active: true, reason: request.reason, since: now, until: now + request.minutes * 60_000 };
    return Promise.resolve(this.breakGlass);
  }

  endBreakGlass(): Promise<BreakGlassView> {
    this.calls.push('end break-glass');
    this.breakGlass = { active: false, reason: null, since: null, until: null };
    return Promise.resolve(this.breakGlass);
  }

  startMaintenance(request: MaintenanceRequest): Promise<MaintenanceView> {
    this.calls.push(`maintenance ${request.minutes}`);
    if (request.code !== GOOD_MAINTENANCE_CODE)
      return Promise.reject(new ResponseControlError(403, 'maintenance code refused: not signed by this manager'));
    this.maintenance = { active: true, reason: request.reason, until: this.now() + request.minutes * 60_000 };
    return Promise.resolve(this.maintenance);
  }

  endMaintenance(): Promise<MaintenanceView> {
    this.calls.push('end maintenance');
    this.maintenance = { active: false, reason: null, until: null };
    return Promise.resolve(this.maintenance);
  }

  undo(request: UndoRequest): Promise<ResponseActionView> {
    this.calls.push(`undo ${request.commandId}`);
    const index = this.actions.findIndex((a) => a.commandId === request.commandId);
    const action = this.actions[index];
    if (!action) return Promise.reject(new ResponseControlError(404, `no action ${request.commandId} here`));
    if (!action.undoable) return Promise.reject(new ResponseControlError(409, 'this action cannot be undone'));
    if (request.code !== GOOD_MAINTENANCE_CODE)
      return Promise.reject(new ResponseControlError(403, 'maintenance code refused: not signed by this manager'));
    const undone: ResponseActionView = { ...action, state: 'undone', undoable: false, message: 'undone by IT staff' };
    this.actions = this.actions.map((a, i) => (i === index ? undone : a));
    return Promise.resolve(undone);
  }

  restoreFiles(request: RestoreFilesRequest): Promise<RestoreFilesReport> {
    this.calls.push(`restore ${request.folderClass ?? 'folder'} since ${request.since}`);
    if (request.code !== GOOD_MAINTENANCE_CODE)
      return Promise.reject(new ResponseControlError(403, 'maintenance code refused: not signed by this manager'));
    const restored = request.dryRun ? 0 : 3;
    return Promise.resolve({
      changed: 3,
      restored,
      failed: 0,
      removed: request.dryRun ? 0 : 1,
      keptNew: 0,
      noEarlierVersion: 0,
      unchanged: 7,
      durationMs: 12,
      dryRun: request.dryRun,
    });
  }

  openSealed(request: OpenSealedRequest): Promise<OpenSealedReport> {
    this.calls.push(`open-sealed ${request.reason}`);
    if (request.code !== GOOD_MAINTENANCE_CODE)
      return Promise.reject(new ResponseControlError(403, 'maintenance code refused: not signed by this manager'));
    if (!request.path.endsWith('.wwsealed'))
      return Promise.reject(new ResponseControlError(400, 'give the absolute path of a .wwsealed file'));
    return Promise.resolve({
      out: `/home/nurse1/WardWatch-opened/${request.path.split('/').pop()?.slice(0, -9)}`,
      policyVersion: 3,
    });
  }
}
