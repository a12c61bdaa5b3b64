// Real receivers for the forwarding tests: a syslog server over TLS (certificate made by the
// openssl CLI for 127.0.0.1) that splits octet-counted frames (RFC 6587), and an HTTP webhook
// receiver that checks each request's signature and can answer 500 or be taken down and up.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { verifySignature } from './webhook-signature';

export interface SyslogReceiver {
  port: number;
  caPem: string;
  /** Each frame's declared length and message, in arrival order. */
  frames: { declared: number; message: string }[];
  close(): Promise<void>;
}

export async function startSyslogReceiver(): Promise<SyslogReceiver> {
  const dir = mkdtempSync(join(tmpdir(), 'ww-syslog-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=syslog-receiver',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(join(dir, 'key.pem'));
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const frames: SyslogReceiver['frames'] = [];
  const server = createTlsServer({ key, cert }, (socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) return;
        const declared = Number(buffer.subarray(0, space).toString('ascii'));
        if (buffer.length < space + 1 + declared) return;
        frames.push({ declared, message: buffer.subarray(space + 1, space + 1 + declared).toString('utf8') });
        buffer = buffer.subarray(space + 1 + declared);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    caPem: cert,
    frames,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface WebhookHit {
  status: number;
  eventId: string;
  verified: boolean;
  body: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  hits: WebhookHit[];
  /** Statuses to answer next, in order; 200 once they are used up. */
  answers: number[];
  /** Stops listening (connections refused) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret: string, answers: number[] = []): Promise<WebhookReceiver> {
  const hits: WebhookHit[] = [];
  const state = { answers };
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verified = verifySignature(
        secret,
        {
          timestamp: req.headers['x-wardwatch-timestamp'] as string | undefined,
          signature: req.headers['x-wardwatch-signature'] as string | undefined,
        },
        raw,
        Math.floor(Date.now() / 1_000),
      );
      const status = verified ? (state.answers.shift() ?? 200) : 401;
      hits.push({
        status,
        eventId: String(req.headers['x-wardwatch-event-id']),
        verified,
        body: JSON.parse(raw) as Record<string, unknown>,
      });
      res.writeHead(status).end();
    });
  };
  let server: Server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/siem`,
    hits,
    get answers() {
      return state.answers;
    },
    set answers(next: number[]) {
      state.answers = next;
    },
    down: stop,
    up: async () => {
      server = createHttpServer(handler);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}
