import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyAndCsr } from '../enrollment/csr';
import { createTestPki } from '../enrollment/test-pki.fixture';
import { IdentityStore, type AgentIdentity } from './identity-store';

const identity: AgentIdentity = {
  agentId: 'agent-1',
  managerAddress: 'mgr:50051',
  caFingerprint: `sha256:${'ab'.repeat(32)}`,
  enrolledAt: 1_700_000_000_000,
  privateKeyPem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n',
  certificatePem: 'cert',
  caPem: 'ca',
  pseudonymKey: Buffer.alloc(32, 5),
};

describe('IdentityStore', () => {
  it('saves with private files at 0600 and loads the same identity back', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ww-id-')), 'data');
    const store = new IdentityStore(dir);
    expect(store.exists()).toBe(false);
    store.save(identity);
    expect(store.exists()).toBe(true);
    expect(statSync(store.path('privateKey')).mode & 0o777).toBe(0o600);
    expect(statSync(store.path('pseudonymKey')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(store.load()).toEqual(identity);
    expect(JSON.parse(readFileSync(store.path('identity'), 'utf8'))).not.toHaveProperty('pseudonymKey');
  });

  it('names the file that is missing or damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-id-'));
    const store = new IdentityStore(dir);
    writeFileSync(store.path('identity'), '{"agentId": 5}');
    expect(() => store.load()).toThrow(/identity\.json is damaged/);
    writeFileSync(
      store.path('identity'),
      JSON.stringify({ agentId: 'a', managerAddress: 'm', caFingerprint: 'f', enrolledAt: 1 }),
    );
    expect(() => store.load()).toThrow(/cannot read .*agent-key\.pem \(ENOENT\)/);
  });
});

describe('IdentityStore renewal', () => {
  const pairs = async () => {
    const pki = await createTestPki();
    const make = async () => {
      const key = await createKeyAndCsr('ws12');
      return { privateKeyPem: key.privateKeyPem, certificatePem: await pki.signCsr(key.csrPem, 'agent-1') };
    };
    return { old: await make(), renewed: await make() };
  };

  it('replaces the key and certificate by the renewed pair, 0600, with no temporary file left', async () => {
    const { old, renewed } = await pairs();
    const dir = mkdtempSync(join(tmpdir(), 'ww-id-'));
    const store = new IdentityStore(dir);
    store.save({ ...identity, ...old });
    store.saveRenewed(renewed);
    expect(store.load()).toEqual({ ...identity, ...renewed });
    for (const file of ['privateKey', 'certificate'] as const)
      expect(statSync(store.path(file)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f === 'renewal-pending.json')).toEqual([]);
  });

  it('finishes a swap a stop interrupted, and drops a pending pair that does not belong together', async () => {
    const { old, renewed } = await pairs();
    const dir = mkdtempSync(join(tmpdir(), 'ww-id-'));
    const store = new IdentityStore(dir);
    // Stopped after the new key was written, before the certificate: the pending file completes it.
    store.save({ ...identity, ...old, privateKeyPem: renewed.privateKeyPem });
    writeFileSync(store.path('renewalPending'), JSON.stringify(renewed), { mode: 0o600 });
    expect(store.load()).toEqual({ ...identity, ...renewed });
    expect(existsSync(store.path('renewalPending'))).toBe(false);

    store.save({ ...identity, ...old });
    writeFileSync(
      store.path('renewalPending'),
      JSON.stringify({ privateKeyPem: old.privateKeyPem, certificatePem: renewed.certificatePem }),
    );
    expect(store.load()).toEqual({ ...identity, ...old });
    expect(existsSync(store.path('renewalPending'))).toBe(false);
  });
});
