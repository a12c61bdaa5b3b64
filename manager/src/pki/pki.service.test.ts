import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { certificateNames, createCa, signAgentCsr } from './certificate-authority';
import { ensurePki } from './pki.service';
import { PkiStore } from './pki.store';
import { makeKeyAndCsr } from '../testing/test-manager.fixture';

const dirs: string[] = [];
const store = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ww-pki-'));
  dirs.push(dir);
  return new PkiStore(dir);
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const key = () => Buffer.alloc(32, 7);

describe('PKI', () => {
  it('creates a CA and server certificate once, keys readable by the owner only, and reuses them', async () => {
    const s = store();
    const first = await ensurePki(s, ['manager.hospital.local'], Date.now(), key);
    for (const file of ['caKey', 'serverKey', 'pseudonymKey'] as const)
      expect(statSync(s.path(file)).mode & 0o777).toBe(0o600);
    const ca = new X509Certificate(first.ca.certPem);
    expect(ca.ca).toBe(true);
    expect(Date.parse(ca.validTo) - Date.now()).toBeGreaterThan(9.9 * 365 * 86_400_000);
    const server = new X509Certificate(first.server.certPem);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(certificateNames(first.server.certPem)).toEqual(
      expect.arrayContaining(['localhost', '127.0.0.1', 'manager.hospital.local']),
    );
    const again = await ensurePki(s, ['manager.hospital.local'], Date.now(), () => Buffer.alloc(32, 1));
    expect(again.caFingerprint).toBe(first.caFingerprint);
    expect(again.server.certPem).toBe(first.server.certPem);
    expect(again.pseudonymKey).toEqual(first.pseudonymKey);
  });

  it('renews only the server certificate when a new name is configured', async () => {
    const s = store();
    const first = await ensurePki(s, [], Date.now(), key);
    const second = await ensurePki(s, ['10.1.2.3'], Date.now(), key);
    expect(second.caFingerprint).toBe(first.caFingerprint);
    expect(certificateNames(second.server.certPem)).toContain('10.1.2.3');
  });

  it('signs a CSR for CN=<agent id> with client-auth and one year, and refuses a tampered request', async () => {
    const ca = await createCa(Date.now());
    const { csrPem } = await makeKeyAndCsr('whatever-the-agent-asks');
    const cert = new X509Certificate(await signAgentCsr(ca, csrPem, 'agent-42', Date.now()));
    expect(cert.subject).toBe('CN=agent-42');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(Math.round((Date.parse(cert.validTo) - Date.now()) / 86_400_000)).toBe(365);
    const body = csrPem.split('\n').slice(1, -2).join('');
    const bytes = Buffer.from(body, 'base64');
    bytes[bytes.length - 80] ^= 0xff;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${bytes.toString('base64')}\n-----END CERTIFICATE REQUEST-----`;
    await expect(signAgentCsr(ca, tampered, 'agent-43', Date.now())).rejects.toThrow(/request/);
  });
});
