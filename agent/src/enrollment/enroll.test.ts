import { X509Certificate, createPublicKey } from 'node:crypto';
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { spawnSync } from 'node:child_process';
import { x509 } from './x509.fixture';
import type { EnrollRequest, EnrollResponse } from '@wardwatch/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentError } from '../errors/agent-error';
import type { AgentIdentity } from '../identity/identity-store';
import { createKeyAndCsr } from './csr';
import { enrollAgent, type EnrollDeps } from './enroll';
import { CaFingerprintMismatchError, fetchPinnedCa, pemFingerprint } from './fetch-ca';
import { createTestPki, type TestPki } from './test-pki.fixture';

let pki: TestPki;
let server: Server;
let port: number;

beforeAll(async () => {
  pki = await createTestPki();
  // The manager presents its certificate followed by its CA, as the agent expects.
  server = createServer(
    { cert: pki.serverCertPem + pki.caPem, key: pki.serverKeyPem, ALPNProtocols: ['h2'] },
    (socket) => socket.end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server?.close());

describe('createKeyAndCsr', () => {
  it('makes a P-256 key and a self-signed PKCS#10 request for it', async () => {
    const { privateKeyPem, csrPem } = await createKeyAndCsr('ward3-ws12');
    const key = createPublicKey(privateKeyPem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    expect(csr.subject).toBe('CN=ward3-ws12');
    expect(await csr.verify()).toBe(true);
    const csrKey = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
    expect(csrKey.export({ type: 'spki', format: 'der' }).equals(key.export({ type: 'spki', format: 'der' }))).toBe(
      true,
    );
  });

  it('writes a request OpenSSL verifies, with a long UTF-8 name intact', async () => {
    const name = `station-ü-${'x'.repeat(200)}`; // > 127 bytes: a long-form DER length
    const { csrPem } = await createKeyAndCsr(name);
    const out = spawnSync('openssl', ['req', '-verify', '-noout', '-subject', '-nameopt', 'utf8'], {
      input: csrPem,
      encoding: 'utf8',
    });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe(`subject=CN=${name}`);
    expect(new x509.Pkcs10CertificateRequest(csrPem).subject).toBe(`CN=${name}`);
  });
});

describe('fetchPinnedCa', () => {
  it('returns the CA whose fingerprint was configured', async () => {
    const ca = await fetchPinnedCa({
      host: '127.0.0.1',
      port,
      expectedFingerprint: pemFingerprint(pki.caPem),
      timeoutMs: 5_000,
    });
    expect(new X509Certificate(ca).subject).toBe('CN=WardWatch Test CA');
  });

  it('refuses when the manager presents a different CA', async () => {
    const other = await createTestPki('Impostor CA');
    const error = await fetchPinnedCa({
      host: '127.0.0.1',
      port,
      expectedFingerprint: pemFingerprint(other.caPem),
      timeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaFingerprintMismatchError);
    expect(String(error)).toContain(pemFingerprint(pki.caPem));
  });

  it('fails with the connection error when nothing listens', async () => {
    const error = await fetchPinnedCa({
      host: '127.0.0.1',
      port: 1,
      expectedFingerprint: 'sha256:00',
      timeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});

describe('enrollAgent', () => {
  const host = { hostname: 'ward3-ws12', os: 'linux', osVersion: '6.1', agentVersion: '0.1.0' };

  function sut(answer: (request: EnrollRequest) => Promise<EnrollResponse>, overrides: Partial<EnrollDeps> = {}) {
    const saved: AgentIdentity[] = [];
    const requests: EnrollRequest[] = [];
    const deps: EnrollDeps = {
      fetchCa: () => Promise.resolve(pki.caPem),
      createKeyAndCsr,
      callEnroll: async (_ca, request) => {
        requests.push(request);
        return answer(request);
      },
      save: (identity) => saved.push(identity),
      now: () => 1_700_000_000_000,
      ...overrides,
    };
    const input = {
      managerAddress: '127.0.0.1:50051',
      caFingerprint: pemFingerprint(pki.caPem),
      token: 'wwet_good',
      host,
    };
    return { run: () => enrollAgent(input, deps), saved, requests };
  }

  const grant = async (request: EnrollRequest): Promise<EnrollResponse> => ({
    agentId: 'agent-1',
    commandKeys: [],
    certificatePem: await pki.signCsr(request.csrPem, 'agent-1'),
    caCertificatePem: pki.caPem,
    pseudonymKey: Buffer.alloc(32, 1),
  });

  it('sends the token and a request, checks the certificate and stores the identity', async () => {
    const { run, saved, requests } = sut(grant);
    const identity = await run();
    expect(requests[0]).toMatchObject({ token: 'wwet_good', host });
    expect(identity).toMatchObject({ agentId: 'agent-1', enrolledAt: 1_700_000_000_000, caPem: pki.caPem });
    expect(saved).toEqual([identity]);
    expect(identity.pseudonymKey.length).toBe(32);
  });

  it('pins the command keys of the answer before the identity is saved', async () => {
    const order: string[] = [];
    const commandKey = { keyId: '0123456789abcdef', publicKey: Buffer.alloc(44, 1) };
    const { run } = sut(async (request) => ({ ...(await grant(request)), commandKeys: [commandKey] }), {
      pinCommandKeys: (keys) => order.push(`pin ${keys.map((k) => k.keyId).join()}`),
      save: () => order.push('save'),
    });
    await run();
    expect(order).toEqual(['pin 0123456789abcdef', 'save']);
  });

  it('turns a refused token into exit code 3 with a clear message', async () => {
    const refusal: ServiceError = Object.assign(new Error('16 UNAUTHENTICATED: invalid token'), {
      code: status.UNAUTHENTICATED,
      details: 'invalid or expired token',
      metadata: new Metadata(),
    });
    const { run, saved } = sut(() => Promise.reject(refusal));
    const error = (await run().catch((e: unknown) => e)) as AgentError;
    expect(error).toBeInstanceOf(AgentError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/refused the enrollment token \(invalid or expired token\)/);
    expect(saved).toEqual([]);
  });

  it('refuses a CA that does not match the configured fingerprint with exit code 3', async () => {
    const { run } = sut(grant, {
      fetchCa: () => Promise.reject(new CaFingerprintMismatchError('sha256:aa', ['sha256:bb'])),
    });
    const error = (await run().catch((e: unknown) => e)) as AgentError;
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/does not match manager\.caFingerprint/);
  });

  it('rejects a certificate that is not for our key or not from the pinned CA', async () => {
    const otherKey = await createKeyAndCsr('someone-else');
    const wrongKey = sut(async () => ({ ...(await grant({ token: '', csrPem: otherKey.csrPem, host })) }));
    await expect(wrongKey.run()).rejects.toThrow(/not for our key/);
    expect(wrongKey.saved).toEqual([]);

    const impostor = await createTestPki('Impostor CA');
    const wrongCa = sut(async (request) => ({
      ...(await grant(request)),
      certificatePem: await impostor.signCsr(request.csrPem, 'x'),
    }));
    await expect(wrongCa.run()).rejects.toThrow(/not signed by the pinned CA/);
  });
});
