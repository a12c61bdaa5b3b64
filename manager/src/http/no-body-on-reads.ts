// A GET or HEAD carries no body. One that does (a scanner, a fuzzer) is read to its end and
// answered 400: a route that answers without reading it (the API docs' static files) would
// close the connection under its own reply, and the client would see a reset instead of an answer.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** More than this and the connection is dropped instead: nobody honest sends it. */
const MAX_DRAINED_BYTES = 1024 * 1024;

export function refuseBodyOnReads(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !hasBody) {
    next();
    return;
  }
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAINED_BYTES) req.destroy();
  });
  req.on('end', () => {
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ message: `a ${req.method ?? 'GET'} request has no body` }));
  });
}
