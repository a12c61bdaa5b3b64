import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
