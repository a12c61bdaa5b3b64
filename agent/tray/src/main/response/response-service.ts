// The tray's side of the agent's response: reads the response status (warnings,
// actions, break-glass, maintenance) for the page and the tray icon, and passes
// the page's requests on. Like StatusService it never throws to the renderer:
// every call ends as a result, ok or with a worded problem. After a request the
// status is read again, so the page and the icon show what the agent now holds.
import type {
  BreakGlassRequest,
  BreakGlassView,
  MaintenanceRequest,
  MaintenanceView,
  OpenSealedReport,
  OpenSealedRequest,
  ResponseActionView,
  ResponseStatus,
  UndoRequest,
} from '@wardwatch/shared';
import type {
  BreakGlassResult,
  MaintenanceResult,
  OpenSealedResult,
  ResponseResult,
  TrayProblem,
  UndoResult,
} from '../../common/ipc-channels';
import { problemOf } from '../local-api/problem-of';

/** The LocalApiClient calls this service uses. */
export interface ResponseSource {
  getResponse(): Promise<ResponseStatus>;
  declareBreakGlass(request: BreakGlassRequest): Promise<BreakGlassView>;
  endBreakGlass(): Promise<BreakGlassView>;
  startMaintenance(request: MaintenanceRequest): Promise<MaintenanceView>;
  endMaintenance(): Promise<MaintenanceView>;
  undo(request: UndoRequest): Promise<ResponseActionView>;
  openSealed(request: OpenSealedRequest): Promise<OpenSealedReport>;
}

export interface ResponseServiceDeps {
  source: ResponseSource;
  now(): number;
  /** Told once per failure, with the call; the tray logs it. Never the maintenance code. */
  onProblem(context: { call: string } & TrayProblem): void;
  /** Told of every request the agent accepted, for the tray's log (who pressed what is the agent's audit). */
  onRequest(context: { call: string }): void;
}

export type ResponseListener = (result: ResponseResult) => void;

type Failed = { ok: false; fetchedAt: number; problem: TrayProblem };

export class ResponseService {
  private latest: ResponseResult | null = null;
  private inFlight: Promise<ResponseResult> | null = null;
  private readonly listeners = new Set<ResponseListener>();

  constructor(private readonly deps: ResponseServiceDeps) {}

  current(): ResponseResult | null {
    return this.latest;
  }

  subscribe(listener: ResponseListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the response status now and tells every listener. Calls during a read share it. */
  refresh(): Promise<ResponseResult> {
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  async declareBreakGlass(request: BreakGlassRequest): Promise<BreakGlassResult> {
    return this.request(
      'declare break-glass',
      () => this.deps.source.declareBreakGlass(request),
      (breakGlass) => ({
        breakGlass,
      }),
    );
  }

  async endBreakGlass(): Promise<BreakGlassResult> {
    return this.request(
      'end break-glass',
      () => this.deps.source.endBreakGlass(),
      (breakGlass) => ({ breakGlass }),
    );
  }

  async startMaintenance(request: MaintenanceRequest): Promise<MaintenanceResult> {
    return this.request(
      'start maintenance',
      () => this.deps.source.startMaintenance(request),
      (maintenance) => ({
        maintenance,
      }),
    );
  }

  async endMaintenance(): Promise<MaintenanceResult> {
    return this.request(
      'end maintenance',
      () => this.deps.source.endMaintenance(),
      (maintenance) => ({
        maintenance,
      }),
    );
  }

  async undo(request: UndoRequest): Promise<UndoResult> {
    return this.request(
      'undo',
      () => this.deps.source.undo(request),
      (action) => ({ action }),
    );
  }

  /** The clear copy's path is for the page only: the tray's log gets the call, never the path or the code. */
  async openSealed(request: OpenSealedRequest): Promise<OpenSealedResult> {
    return this.request(
      'open sealed file',
      () => this.deps.source.openSealed(request),
      (opened) => ({ opened }),
    );
  }

  private async fetch(): Promise<ResponseResult> {
    const fetchedAt = this.deps.now();
    let result: ResponseResult;
    try {
      result = { ok: true, fetchedAt, response: await this.deps.source.getResponse() };
    } catch (error) {
      result = this.failed('response status', error, fetchedAt);
    }
    this.latest = result;
    for (const listener of this.listeners) listener(result);
    return result;
  }

  private async request<V, O extends object>(
    call: string,
    run: () => Promise<V>,
    wrap: (value: V) => O,
  ): Promise<({ ok: true; fetchedAt: number } & O) | Failed> {
    const fetchedAt = this.deps.now();
    try {
      const value = await run();
      this.deps.onRequest({ call });
      return { ok: true, fetchedAt, ...wrap(value) };
    } catch (error) {
      return this.failed(call, error, fetchedAt);
    } finally {
      // Accepted or refused, the agent's state may have moved (a code used, a warning ended).
      void this.refresh();
    }
  }

  private failed(call: string, error: unknown, fetchedAt: number): Failed {
    const problem = problemOf(error);
    this.deps.onProblem({ call, ...problem });
    return { ok: false, fetchedAt, problem };
  }
}
