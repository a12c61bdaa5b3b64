// The user token an unseal is audited with, over real mutual TLS: the HMAC token with a site
// key (local-key mode), and in OPRF mode — no key on the workstation, the default for a new
// site — the token the manager's OPRF key gives, asked of the manager when not cached.
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { macOfOprfOutput, oprfInput, pseudonymToken } from '@wardwatch/shared/pseudonyms';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAndCsr } from '../enrollment/csr';
import { createTestPki } from '../enrollment/test-pki.fixture';
import { createSessionClient } from '../transport/grpc-clients';
import { TestManager } from '../transport/test-manager.fixture';
import { localUserToken } from './seal-commands';

const { oprf } = ristretto255_oprf;
const secretKey = oprf.generateKeyPair().secretKey;
let manager: TestManager;
let client: ReturnType<typeof createSessionClient>;
let dataDir: string;

beforeAll(async () => {
  const pki = await createTestPki();
  manager = new TestManager(pki);
  manager.oprfKey = secretKey;
  await manager.listen();
  const keys = await createKeyAndCsr('agent-9');
  client = createSessionClient(`127.0.0.1:${manager.port}`, {
    privateKeyPem: keys.privateKeyPem,
    certificatePem: await pki.signCsr(keys.csrPem, 'agent-9'),
    caPem: pki.caPem,
  });
  dataDir = mkdtempSync(join(tmpdir(), 'ww-seal-token-'));
});
afterAll(async () => {
  client?.close();
  await manager?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('localUserToken', () => {
  it('in OPRF mode asks the manager and gives the token its key gives', async () => {
    const input = oprfInput('user', userInfo().username);
    const { blind, blinded } = oprf.blind(input);
    const expected = `u_${macOfOprfOutput(oprf.finalize(input, blind, oprf.blindEvaluate(secretKey, blinded)))}`;
    expect(await localUserToken(Buffer.alloc(0), dataDir, client)).toBe(expected);
    expect(manager.evaluated).toHaveLength(1);
  });

  it('with a site key computes the HMAC token and asks nothing', async () => {
    const key = Buffer.alloc(32, 4);
    const before = manager.evaluated.length;
    expect(await localUserToken(key, dataDir, client)).toBe(pseudonymToken(key, 'user', userInfo().username));
    expect(manager.evaluated).toHaveLength(before);
  });
});
