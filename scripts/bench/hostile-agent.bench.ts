// A hostile workstation against a real manager (built dist/, embedded SQLite, all on
// 127.0.0.1): what the REST API's latency does while one enrolled agent floods.
//   1. baseline: GET /api/v1/events?limit=100 in a loop for BASE seconds, no flood;
//   2. flood: the worst batch the caps allow (WARDWATCH_BATCH_MAX_EVENTS valid events
//      filling WARDWATCH_BATCH_MAX_BYTES), sent as fast as the stream takes them, a new
//      session whenever the manager ends one (rate limit), for FLOOD seconds;
//   3. oversized: the messages (4 million empty events, 7.6 MB, and 1.9 MB of
//      them) in a loop for OVERSIZE seconds: over the size limit, refused unread.
// Meanwhile the same GET loop measures p50/p99 (target p99 < 250 ms), and the
// manager's RSS is read from /proc; a last quiet phase (5 s) measures the GET again
// with the flood's events stored. About 50 s in all.
//   npx tsc -b && npx tsx scripts/bench/hostile-agent.bench.ts
import { KeyObject, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import {
  AgentMessage,
  AgentServiceClient,
  Severity,
  type EnrollResponse,
  type Event,
  ManagerMessage,
} from '@wardwatch/proto';
import { useNodeCrypto } from '../../manager/src/pki/x509';
import { createEnrollmentToken, startManager, type ManagerOptions } from '../lib/wardwatch';
import { mb, percentile, procUsage } from './lib/proc-usage';

const BASE_SECONDS = Number(process.env.WW_BASE_SECONDS ?? 10);
const FLOOD_SECONDS = Number(process.env.WW_FLOOD_SECONDS ?? 20);
const OVERSIZE_SECONDS = Number(process.env.WW_OVERSIZE_SECONDS ?? 10);
const PASSWORD = 'bench-admin-password-1234';
// The manager's defaults (config.schema.ts); the flood fills them exactly.
const MAX_EVENTS = 1_000;
const MAX_BATCH_BYTES = 768 * 1_024;

async function keyAndCsr(): Promise<{ privateKeyPem: string; csrPem: string }> {
  const x509 = useNodeCrypto();
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: ['bench-ws'] }],
    keys,
    signingAlgorithm: alg,
  });
  return {
    privateKeyPem: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
    csrPem: csr.toString('pem'),
  };
}

/** A valid event padded so that MAX_EVENTS of them fill the byte cap. */
function paddedEvent(id: string, padding: number): Event {
  return {
    id,
    timeMs: Date.now(),
    sequence: 0,
    severity: Severity.SEVERITY_CRITICAL,
    user: 'u_0123456789abcdef',
    detail: {
      $case: 'process',
      value: {
        action: 'start',
        pid: 1,
        ppid: 1,
        executable: '/usr/bin/ssh',
        commandLine: '',
        sha256: 'f'.repeat(padding),
      },
    },
  };
}

/** AgentMessage.events holding `count` empty events, encoded by hand (as the attacker did). */
function emptyEvents(count: number): Buffer {
  const inner = Buffer.alloc(count * 2);
  for (let i = 0; i < inner.length; i += 2) inner[i] = 0x12;
  const varint: number[] = [];
  for (let n = inner.length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      varint.push(n);
      break;
    }
    varint.push((n % 128) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x12, ...varint]), inner]);
}

interface Latencies {
  samples: number[];
  errors: number;
}

async function measureGets(get: () => Promise<Response>, until: () => boolean): Promise<Latencies> {
  const result: Latencies = { samples: [], errors: 0 };
  while (!until()) {
    const started = performance.now();
    try {
      const response = await get();
      await response.arrayBuffer();
      if (!response.ok) result.errors += 1;
    } catch {
      result.errors += 1;
    }
    result.samples.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return result;
}

const report = (name: string, l: Latencies) =>
  `${name.padEnd(10)} GET /api/v1/events: n=${l.samples.length} p50=${percentile(l.samples, 50).toFixed(1)} ms ` +
  `p99=${percentile(l.samples, 99).toFixed(1)} ms max=${Math.max(...l.samples).toFixed(1)} ms errors=${l.errors}`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-hostile-bench-'));
  const options: ManagerOptions = {
    dataDir,
    env: {
      WARDWATCH_ADMIN_PASSWORD: PASSWORD,
      WARDWATCH_MFA_REQUIRED_ROLES: 'none',
      WARDWATCH_HTTP_HOST: '127.0.0.1',
      WARDWATCH_GRPC_HOST: '127.0.0.1',
      WARDWATCH_LOG_LEVEL: 'info',
    },
  };
  const manager = await startManager(options);
  const pid = manager.process.child.pid!;
  const clients: AgentServiceClient[] = [];
  try {
    const { token } = await createEnrollmentToken(options);
    const ca = readFileSync(join(dataDir, 'pki', 'ca.cert.pem'));
    const address = `127.0.0.1:${manager.grpcPort}`;
    const keys = await keyAndCsr();
    const anonymous = new AgentServiceClient(address, credentials.createSsl(ca));
    const enrolled = await new Promise<EnrollResponse>((resolve, reject) =>
      anonymous.enroll(
        { token, csrPem: keys.csrPem, host: { hostname: 'bench-ws', os: 'linux', osVersion: '6', agentVersion: '0' } },
        new Metadata(),
        { deadline: Date.now() + 10_000 },
        (error, response) => (error ? reject(error) : resolve(response)),
      ),
    );
    anonymous.close();
    const tls = credentials.createSsl(ca, Buffer.from(keys.privateKeyPem), Buffer.from(enrolled.certificatePem));

    const login = await fetch(`${manager.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const get = () => fetch(`${manager.httpUrl}/api/v1/events?limit=100`, { headers: { cookie } });

    // The worst batch the caps allow: measure one encoded and pad the events to fill the byte cap.
    const probe = Buffer.from(
      AgentMessage.encode({
        body: { $case: 'events', value: { sequence: 1, events: [paddedEvent('x'.repeat(36), 0)], dropped: {} } },
      }).finish(),
    );
    const padding = Math.floor((MAX_BATCH_BYTES - 64) / MAX_EVENTS) - (probe.length + 4);

    // 1. baseline
    let stopAt = Date.now() + BASE_SECONDS * 1_000;
    const baseline = await measureGets(get, () => Date.now() > stopAt);
    const rssBase = procUsage(pid).rssBytes;

    // 2. flood with the worst allowed batch
    let sent = 0;
    let acked = 0;
    let ended = 0;
    let seq = 0;
    let flooding = true;
    const flood = async () => {
      while (flooding) {
        const client = new AgentServiceClient(address, tls);
        clients.push(client);
        // Pre-encoded batches, written as they are: the flood costs this process little CPU.
        const call = client.makeBidiStreamRequest<Buffer, ManagerMessage>(
          '/wardwatch.agent.v1.AgentService/Session',
          (b) => b,
          (b) => ManagerMessage.decode(b),
        );
        call.on('data', (m: ManagerMessage) => {
          if (m.body?.$case === 'ack') acked += 1;
        });
        const done = new Promise<void>((resolve) => {
          call.on('error', () => resolve());
          call.on('end', () => resolve());
        });
        let open = true;
        void done.then(() => (open = false));
        while (flooding && open) {
          seq += 1;
          sent += 1;
          if (!call.write(batches[seq % batches.length]))
            await Promise.race([new Promise((resolve) => call.once('drain', resolve)), done]);
        }
        call.cancel();
        await done;
        client.close();
        ended += 1;
      }
    };
    // More distinct batches than the rate lets through in FLOOD seconds: every admitted one is stored.
    const batches = Array.from({ length: 48 }, (_, b) =>
      Buffer.from(
        AgentMessage.encode({
          body: {
            $case: 'events',
            value: {
              sequence: b + 1,
              events: Array.from({ length: MAX_EVENTS }, (_, i) => paddedEvent(`f-${b}-${i}`, padding)),
              dropped: {},
            },
          },
        }).finish(),
      ),
    );
    stopAt = Date.now() + FLOOD_SECONDS * 1_000;
    const flooder = flood();
    const underFlood = await measureGets(get, () => Date.now() > stopAt);
    flooding = false;
    await flooder;
    const rssFlood = procUsage(pid);

    // 3. the oversized messages, refused before they are read
    const huge = emptyEvents(4_000_000);
    const underLimit = emptyEvents(950_000);
    let oversizeSent = 0;
    let oversizing = true;
    const oversize = async () => {
      while (oversizing) {
        const client = new AgentServiceClient(address, tls, { 'grpc.max_send_message_length': 16 * 1_024 * 1_024 });
        clients.push(client);
        // Raw bytes through the generated client: serialize is identity for a Buffer here.
        const call = client.makeBidiStreamRequest<Buffer, Buffer>(
          '/wardwatch.agent.v1.AgentService/Session',
          (b) => b,
          (b) => b,
        );
        const done = new Promise<void>((resolve) => {
          call.on('error', () => resolve());
          call.on('end', () => resolve());
        });
        call.on('data', () => undefined);
        call.write(oversizeSent % 2 === 0 ? huge : underLimit);
        oversizeSent += 1;
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        call.cancel();
        client.close();
      }
    };
    stopAt = Date.now() + OVERSIZE_SECONDS * 1_000;
    const oversizer = oversize();
    const underOversize = await measureGets(get, () => Date.now() > stopAt);
    oversizing = false;
    await oversizer;
    const rssEnd = procUsage(pid);
    // 4. quiet again: the same GET with the flood's events stored, to tell the attack from the data.
    stopAt = Date.now() + 5_000;
    const after = await measureGets(get, () => Date.now() > stopAt);

    console.log(`worst allowed batch: ${MAX_EVENTS} valid events, ${mb(batches[0].length)} MB`);
    console.log(report('baseline', baseline));
    console.log(report('flood', underFlood));
    console.log(report('oversized', underOversize));
    console.log(report('after', after));
    console.log(
      `flood: ${sent} batches written, ${acked} acknowledged (${acked * MAX_EVENTS} events stored), ` +
        `${ended} sessions ended or refused by the manager (rate limit)`,
    );
    console.log(`oversized: ${oversizeSent} messages of 7.6 MB / 1.9 MB sent, each refused`);
    console.log(
      `manager RSS: baseline ${mb(rssBase)} MB, after flood ${mb(rssFlood.rssBytes)} MB, ` +
        `end ${mb(rssEnd.rssBytes)} MB, peak ${mb(rssEnd.peakRssBytes)} MB`,
    );
    const p99 = Math.max(percentile(underFlood.samples, 99), percentile(underOversize.samples, 99));
    console.log(`p99 under attack: ${p99.toFixed(1)} ms (target < 250 ms): ${p99 < 250 ? 'met' : 'NOT met'}`);
  } finally {
    for (const client of clients) client.close();
    await manager.process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
