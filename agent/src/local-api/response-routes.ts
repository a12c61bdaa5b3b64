// The local API's response routes: what the tray may read and ask about
// responses on this workstation (the running warning, break-glass, maintenance
// mode, undo, restoring files from the version store, opening a sealed file). This file only
// translates HTTP to ResponseControl calls: bodies
// are bounded and parsed with the shared schemas, answers are checked against
// them too. Refusals are thrown (RequestBodyError, InvalidRequestError,
// ResponseControlError) and the server turns them into 4xx; it logs the rest.
import type { IncomingMessage } from 'node:http';
import {
  BreakGlassRequest,
  BreakGlassView,
  MaintenanceRequest,
  MaintenanceView,
  OpenSealedReport,
  OpenSealedRequest,
  ResponseActionView,
  ResponseStatus,
  RestoreFilesReport,
  RestoreFilesRequest,
  UndoRequest,
  type ResponseControl,
} from '@wardwatch/shared/agent';
import type { z } from 'zod';
import { readJsonBody } from './read-json-body';

export type ResponseRouteMethod = 'GET' | 'POST' | 'DELETE';
type Route = (control: ResponseControl, req: IncomingMessage) => Promise<unknown>;

/** A body that is JSON but not the request's shape: 400 with the issues, worded by field. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';

  constructor(readonly issues: { path: string; message: string }[]) {
    super('invalid request');
  }
}

async function body<S extends z.ZodType>(schema: S, req: IncomingMessage): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await readJsonBody(req));
  if (parsed.success) return parsed.data;
  // At most 20 issues, each path and message bounded: the answer stays small whatever was sent.
  throw new InvalidRequestError(
    parsed.error.issues.slice(0, 20).map((issue) => ({
      path: issue.path.join('.').slice(0, 100),
      message: issue.message.slice(0, 200),
    })),
  );
}

// Answers go through the shared schemas as well: a bug in the response side cannot hand the tray another shape.
const ROUTES: Record<string, Partial<Record<ResponseRouteMethod, Route>>> = {
  '/v1/response': {
    GET: (control) => Promise.resolve(ResponseStatus.parse(control.status())),
  },
  '/v1/response/break-glass': {
    POST: async (control, req) =>
      BreakGlassView.parse(await control.declareBreakGlass(await body(BreakGlassRequest, req))),
    DELETE: async (control) => BreakGlassView.parse(await control.endBreakGlass()),
  },
  '/v1/response/maintenance': {
    POST: async (control, req) =>
      MaintenanceView.parse(await control.startMaintenance(await body(MaintenanceRequest, req))),
    DELETE: async (control) => MaintenanceView.parse(await control.endMaintenance()),
  },
  '/v1/response/undo': {
    POST: async (control, req) => ResponseActionView.parse(await control.undo(await body(UndoRequest, req))),
  },
  '/v1/response/restore': {
    POST: async (control, req) =>
      RestoreFilesReport.parse(await control.restoreFiles(await body(RestoreFilesRequest, req))),
  },
  '/v1/response/open-sealed': {
    POST: async (control, req) => OpenSealedReport.parse(await control.openSealed(await body(OpenSealedRequest, req))),
  },
};

export type ResponseRouteAnswer = { status: number; body: unknown; headers?: Record<string, string> };

/** Null when the path is not a response route (the server goes on with its other routes). */
export async function answerResponseRoute(
  method: string,
  path: string,
  req: IncomingMessage,
  control: ResponseControl | undefined,
): Promise<ResponseRouteAnswer | null> {
  const route = ROUTES[path];
  if (!route) return null;
  const handler = route[method as ResponseRouteMethod];
  if (!handler)
    return { status: 405, body: { error: 'method not allowed' }, headers: { allow: Object.keys(route).join(', ') } };
  // The agent runs without a response side until the lead wires one (or while it cannot start).
  if (!control) return { status: 503, body: { error: 'response not available' } };
  return { status: 200, body: await handler(control, req) };
}
