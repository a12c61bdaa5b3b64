// For the gRPC fuzz: clients of the manager's agent port that send bytes as they
// are given. A grpc-js client whose serializer is the identity (so the protobuf
// payload goes out untouched, framed by grpc-js), a bare HTTP/2 stream (so the gRPC
// framing itself can lie), and bare TLS and TCP sockets (for what is not HTTP/2).
import { connect as http2Connect, constants as h2 } from 'node:http2';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  status,
  type CallOptions,
  type ChannelCredentials,
  type ClientDuplexStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { AgentServiceService } from '@wardwatch/proto';

const identity = (b: Buffer) => b;
const raw = <P extends string, S extends boolean>(path: P, requestStream: S, responseStream: S) => ({
  path,
  requestStream,
  responseStream,
  requestSerialize: identity,
  requestDeserialize: identity,
  responseSerialize: identity,
  responseDeserialize: identity,
});

const RawAgentService = {
  enroll: raw(AgentServiceService.enroll.path, false, false),
  session: raw(AgentServiceService.session.path, true, true),
  renew: raw(AgentServiceService.renew.path, false, false),
};
const RawClient = makeGenericClientConstructor(RawAgentService, 'RawAgentService');

type UnaryCall = (
  request: Buffer,
  metadata: Metadata,
  options: CallOptions,
  callback: (error: ServiceError | null, response?: Buffer) => void,
) => void;

/** What the generic constructor's client offers for RawAgentService (its own type says only "a Client"). */
interface RawCalls {
  session(options: CallOptions): ClientDuplexStream<Buffer, Buffer>;
  enroll: UnaryCall;
  renew: UnaryCall;
  close(): void;
}

/** Ends a call the server did not end in time: a hang is then a clear failure, not a stuck test. */
export const HANG = -1 as const;

/** The status a call ended with, and the messages that came before it. */
export interface Outcome {
  /** A gRPC status code, or HANG. */
  code: status | typeof HANG;
  details: string;
  received: Buffer[];
}

export interface TlsIdentity {
  caPem: string;
  keyPem?: string;
  certPem?: string;
}

function channelCredentials(tls: TlsIdentity): ChannelCredentials {
  return tls.keyPem && tls.certPem
    ? credentials.createSsl(Buffer.from(tls.caPem), Buffer.from(tls.keyPem), Buffer.from(tls.certPem))
    : credentials.createSsl(Buffer.from(tls.caPem));
}

/** One connection's worth of raw calls; close it when done. */
export class RawAgentClient {
  private readonly client: RawCalls;

  constructor(port: number, tls: TlsIdentity) {
    this.client = new RawClient(`127.0.0.1:${port}`, channelCredentials(tls)) as unknown as RawCalls;
  }

  /** Writes the frames on a Session stream, half-closes it and waits for its status. */
  session(frames: Buffer[], timeoutMs = 10_000): Promise<Outcome> {
    const call = this.client.session({ deadline: Date.now() + timeoutMs * 2 });
    const received: Buffer[] = [];
    call.on('data', (b: Buffer) => received.push(b));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        call.cancel();
        resolve({ code: HANG, details: `no status within ${timeoutMs} ms`, received });
      }, timeoutMs);
      call.on('status', (s: { code: status; details: string }) => {
        clearTimeout(timer);
        resolve({ code: s.code, details: s.details, received });
      });
      call.on('error', () => undefined); // the status event says it all
      for (const frame of frames) call.write(frame);
      call.end();
    });
  }

  /** A unary call (Enroll or Renew) with the bytes as its request. */
  unary(method: 'enroll' | 'renew', bytes: Buffer, timeoutMs = 10_000): Promise<Outcome> {
    return new Promise((resolve) =>
      this.client[method](bytes, new Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
        resolve(
          error
            ? {
                code: error.code === status.DEADLINE_EXCEEDED ? HANG : error.code,
                details: error.details,
                received: [],
              }
            : { code: status.OK, details: '', received: response ? [response] : [] },
        ),
      ),
    );
  }

  close(): void {
    this.client.close();
  }
}

/** A gRPC message as it goes on the wire: compressed flag, 4-byte length, payload. The header may lie. */
export function grpcFrame(payload: Buffer, header: { compressed?: number; length?: number } = {}): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(header.compressed ?? 0, 0);
  head.writeUInt32BE(header.length ?? payload.length, 1);
  return Buffer.concat([head, payload]);
}

export interface Http2Outcome {
  /** The HTTP status of the response headers; 0 when none came. */
  httpStatus: number;
  /** grpc-status from the headers or trailers; undefined when none came. */
  grpcStatus: number | undefined;
  grpcMessage: string;
  /** The stream or connection was reset or closed without a gRPC status. */
  reset: boolean;
  hang: boolean;
}

/** One HTTP/2 stream to `path` over (mutual) TLS, carrying the bytes as they are, then its end. */
export function http2Call(
  port: number,
  tls: TlsIdentity,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<Http2Outcome> {
  return new Promise((resolve) => {
    const session = http2Connect(`https://127.0.0.1:${port}`, {
      ca: tls.caPem,
      key: tls.keyPem,
      cert: tls.certPem,
      // The manager's certificate names its configured host, not necessarily 127.0.0.1.
      servername: 'localhost',
      checkServerIdentity: () => undefined,
    });
    const outcome: Http2Outcome = { httpStatus: 0, grpcStatus: undefined, grpcMessage: '', reset: false, hang: false };
    const finish = () => {
      clearTimeout(timer);
      session.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      outcome.hang = true;
      finish();
    }, timeoutMs);
    session.on('error', () => {
      outcome.reset = true;
      finish();
    });
    const read = (h: Record<string, unknown>) => {
      if (h[':status'] !== undefined) outcome.httpStatus = Number(h[':status']);
      if (h['grpc-status'] !== undefined) outcome.grpcStatus = Number(h['grpc-status']);
      const message = h['grpc-message'];
      if (typeof message === 'string') outcome.grpcMessage = decodeURIComponent(message);
    };
    const stream = session.request({
      [h2.HTTP2_HEADER_METHOD]: 'POST',
      [h2.HTTP2_HEADER_PATH]: path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    stream.on('response', read);
    stream.on('trailers', read);
    stream.on('data', () => undefined);
    stream.on('error', () => (outcome.reset = true));
    stream.on('close', () => {
      if (outcome.grpcStatus === undefined && stream.rstCode !== h2.NGHTTP2_NO_ERROR) outcome.reset = true;
      finish();
    });
    stream.end(body);
  });
}

/** What a socket that sent garbage saw: closed by the server, or still open when we gave up. */
export interface SocketOutcome {
  closedByServer: boolean;
  bytesBack: number;
}

/** Writes the bytes on a fresh socket (TLS with ALPN h2 when `tls` is given) and waits up to `waitMs` for the server to close it. */
export function garbageSocket(port: number, bytes: Buffer, tls?: TlsIdentity, waitMs = 3_000): Promise<SocketOutcome> {
  return new Promise((resolve) => {
    const outcome: SocketOutcome = { closedByServer: false, bytesBack: 0 };
    let gaveUp = false;
    const send = () => socket.write(bytes);
    const socket: Socket = tls
      ? tlsConnect(
          {
            host: '127.0.0.1',
            port,
            ca: tls.caPem,
            key: tls.keyPem,
            cert: tls.certPem,
            ALPNProtocols: ['h2'],
            servername: 'localhost',
            checkServerIdentity: () => undefined,
          },
          send,
        )
      : netConnect({ host: '127.0.0.1', port }, send);
    const timer = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, waitMs);
    socket.on('data', (chunk: Buffer) => (outcome.bytesBack += chunk.length));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      outcome.closedByServer = !gaveUp;
      resolve(outcome);
    });
  });
}
