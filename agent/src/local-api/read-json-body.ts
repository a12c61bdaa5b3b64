// Reads a request's JSON body with a size bound, for the local API's few POST
// routes. Anything that is not a small JSON document is a RequestBodyError with
// the HTTP status the route answers (400, 413 or 415); nothing here logs.
import type { IncomingMessage } from 'node:http';

/** A tray form is a few hundred bytes; a maintenance code at most 2,000 characters. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';

  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new RequestBodyError(415, 'content-type must be application/json');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new RequestBodyError(413, `body larger than ${maxBytes} bytes`);
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop keeping what a sender that lied about its length sends; the route answers
      // 413 and closes the connection (not destroyed here, so the answer still goes out).
      req.off('data', onData);
      req.resume();
      reject(new RequestBodyError(413, `body larger than ${maxBytes} bytes`));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new RequestBodyError(400, 'body is not valid JSON');
  }
}
