// Enrolled agents for the manager benches, made in the bench's process on the
// manager's data folder and database before the manager process starts (nothing
// else may have them open meanwhile):
//   - enrollAgents: the whole enrollment (token, CSR, EnrollmentService, audit), as the
//     Enroll call does it; ~tens of ms per agent, for a handful of agents;
//   - seedAgents: thousands of agents in seconds. Each gets its own key and its own
//     certificate signed by the manager's CA key, and its agent row through AgentService;
//     the certificate is the one the CA issued for a first request (signAgentCsr, the
//     manager's own code) with only serial, subject and key swapped and signed again by
//     the CA key, because @peculiar/x509 takes 5–40 ms per certificate here.
import {
  createPrivateKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  randomUUID,
  sign,
  webcrypto,
} from 'node:crypto';

// The built manager (`npx tsc -b`): its entities and services need the decorator
// metadata that tsc emits and tsx does not.
import { AgentSessionsRegistry } from '../../../manager/dist/agents/agent-sessions.registry';
import { AgentRepository } from '../../../manager/dist/agents/agent.repository';
import { AgentService } from '../../../manager/dist/agents/agent.service';
import { AuditRepository } from '../../../manager/dist/audit/audit.repository';
import { AuditService } from '../../../manager/dist/audit/audit.service';
import { loadOrCreateKeyring } from '../../../manager/dist/audit/audit-keyring';
import { Clock, RandomSource } from '../../../manager/dist/common/clock';
import { parseConfig } from '../../../manager/dist/config/config.schema';
import { secureDataFolder } from '../../../manager/dist/data-folder/data-folder';
import { openDatabase } from '../../../manager/dist/database/data-source.factory';
import { TransactionRunner } from '../../../manager/dist/database/transaction.runner';
import { EnrollmentTokenRepository } from '../../../manager/dist/enrollment/enrollment-token.repository';
import { EnrollmentTokenService } from '../../../manager/dist/enrollment/enrollment-token.service';
import { EnrollmentService } from '../../../manager/dist/enrollment/enrollment.service';
import { managerEntities } from '../../../manager/dist/entities';
import { fingerprint } from '../../../manager/dist/pki/certificate-authority';
import { ensurePki, PkiService } from '../../../manager/dist/pki/pki.service';
import { PkiStore } from '../../../manager/dist/pki/pki.store';
import { useNodeCrypto, x509 } from '../../../manager/dist/pki/x509';
import { SitePseudonymMode } from '../../../manager/dist/pseudonym-mode/site-pseudonym-mode';

export interface SeededAgent {
  agentId: string;
  hostname: string;
  certificatePem: string;
  privateKeyPem: string;
}

export interface SeededFleet {
  caPem: string;
  agents: SeededAgent[];
}

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const HOST = { os: 'linux', osVersion: '6.1', agentVersion: '0.1.0' };
const hostnameOf = (i: number) => `bench-ws-${String(i).padStart(5, '0')}`;

/** A key that never leaves the "workstation" and its certificate request, as the agent makes them. */
export async function keyAndCsr(commonName: string): Promise<{ privateKeyPem: string; csrPem: string }> {
  useNodeCrypto();
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: alg,
  });
  return {
    privateKeyPem: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
    csrPem: csr.toString('pem'),
  };
}

async function openManagerStorage(env: Record<string, string>) {
  const config = parseConfig(env, process.cwd());
  secureDataFolder(config.dataDir);
  const material = await ensurePki(new PkiStore(config.dataDir), config.tlsSans, Date.now(), () => randomBytes(32));
  const db = await openDatabase(config.database, managerEntities);
  const clock = new Clock();
  const random = new RandomSource();
  const transactions = new TransactionRunner(db);
  const auditRows = new AuditRepository(db);
  const keyring = await loadOrCreateKeyring(config.audit.keyFile, () => auditRows.nextSeq(), clock.now());
  const audit = new AuditService(auditRows, transactions, clock, keyring);
  const agents = new AgentService(new AgentRepository(db), transactions, clock, audit, new AgentSessionsRegistry());
  return { config, material, pki: new PkiService(material), db, clock, random, transactions, audit, agents };
}

/** `count` agents enrolled the whole way (token, CSR, EnrollmentService), into the manager configured by `env`. */
export async function enrollAgents(env: Record<string, string>, count: number): Promise<SeededFleet> {
  const s = await openManagerStorage(env);
  try {
    const tokens = new EnrollmentTokenService(
      new EnrollmentTokenRepository(s.db),
      s.transactions,
      s.clock,
      s.random,
      s.audit,
    );
    const enrollment = new EnrollmentService(
      s.transactions,
      s.agents,
      tokens,
      s.pki,
      s.audit,
      s.clock,
      s.random,
      // Seeded agents carry no pseudonymiser: the mode only decides whether the key is handed out.
      new SitePseudonymMode(s.config.pseudonyms.requestedMode ?? 'local-key'),
    );
    const agents: SeededAgent[] = [];
    for (let i = 0; i < count; i++) {
      const hostname = hostnameOf(i);
      const { token } = await tokens.create(60, 'bench');
      const keys = await keyAndCsr(hostname);
      const enrolled = await enrollment.enroll({ token, csrPem: keys.csrPem, host: { hostname, ...HOST } });
      agents.push({
        agentId: enrolled.agentId,
        hostname,
        certificatePem: enrolled.certificatePem,
        privateKeyPem: keys.privateKeyPem,
      });
    }
    return { caPem: s.pki.caPem, agents };
  } finally {
    await s.db.destroy();
  }
}

/** `count` agents with their own keys and CA-signed certificates, registered in batches; `onProgress` per batch. */
export async function seedAgents(
  env: Record<string, string>,
  count: number,
  onProgress?: (done: number) => void,
): Promise<SeededFleet> {
  const s = await openManagerStorage(env);
  try {
    const template = await templateCertificate(s.pki);
    const caKey = createPrivateKey(s.material.ca.keyPem);
    const agents: SeededAgent[] = [];
    const BATCH = 500;
    for (let start = 0; start < count; start += BATCH) {
      const batch: SeededAgent[] = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const agentId = randomUUID();
        batch.push({
          agentId,
          hostname: hostnameOf(i),
          certificatePem: reissue(template, caKey, agentId, keys.publicKey),
          privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        });
      }
      const now = s.clock.now();
      await s.transactions.run(async (tx) => {
        for (const agent of batch)
          await s.agents.register(
            {
              id: agent.agentId,
              hostname: agent.hostname,
              os: HOST.os,
              osVersion: HOST.osVersion,
              version: HOST.agentVersion,
              status: 'offline',
              enrolledAt: now,
              lastSeenAt: null,
              certFingerprint: fingerprint(agent.certificatePem),
              certificatePem: agent.certificatePem,
              stats: null,
            },
            tx,
          );
      });
      agents.push(...batch);
      onProgress?.(agents.length);
    }
    return { caPem: s.pki.caPem, agents };
  } finally {
    await s.db.destroy();
  }
}

// --- Re-issuing the CA's template certificate (DER, RFC 5280) ---

interface Template {
  /** TBSCertificate, its serial's value bytes, the template's agent id and public key, the signature algorithm. */
  tbs: Buffer;
  serialAt: number;
  serialLength: number;
  agentIdAt: number;
  spkiAt: number;
  spkiLength: number;
  signatureAlgorithm: Buffer;
}

/** Tag and length of the DER element at `at`: where its content starts and ends. */
function element(der: Buffer, at: number): { start: number; end: number } {
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i];
    start += bytes;
  }
  return { start, end: start + length };
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);

async function templateCertificate(pki: PkiService): Promise<Template> {
  const agentId = randomUUID();
  const { csrPem } = await keyAndCsr('bench-template');
  const der = new x509.X509Certificate(await pki.signAgentCsr(csrPem, agentId, Date.now())).rawData;
  const cert = Buffer.from(der);
  const outer = element(cert, 0);
  const tbsElement = element(cert, outer.start);
  const tbs = cert.subarray(outer.start, tbsElement.end);
  const algorithm = cert.subarray(tbsElement.end, element(cert, tbsElement.end).end);
  // TBSCertificate: [0] version, then the serial INTEGER.
  const inside = element(tbs, 0).start;
  const serial = element(tbs, element(tbs, inside).end);
  const spki = new x509.X509Certificate(der).publicKey.rawData;
  const spkiAt = tbs.indexOf(Buffer.from(spki));
  const agentIdAt = tbs.indexOf(Buffer.from(agentId));
  if (spkiAt < 0 || agentIdAt < 0) throw new Error('the template certificate does not hold its key or agent id');
  return {
    tbs: Buffer.from(tbs),
    serialAt: serial.start,
    serialLength: serial.end - serial.start,
    agentIdAt,
    spkiAt,
    spkiLength: spki.byteLength,
    signatureAlgorithm: Buffer.from(algorithm),
  };
}

function reissue(t: Template, caKey: KeyObject, agentId: string, publicKey: KeyObject): string {
  const tbs = Buffer.from(t.tbs);
  const serial = randomBytes(t.serialLength);
  serial[0] = (serial[0] & 0x3f) | 0x40; // positive, no leading zero: the same DER length
  serial.copy(tbs, t.serialAt);
  tbs.write(agentId, t.agentIdAt, 'ascii');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  if (spki.length !== t.spkiLength) throw new Error('unexpected public key size');
  spki.copy(tbs, t.spkiAt);
  const signature = sign('sha256', tbs, caKey);
  const der = tlv(
    0x30,
    Buffer.concat([tbs, t.signatureAlgorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature]))]),
  );
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}
