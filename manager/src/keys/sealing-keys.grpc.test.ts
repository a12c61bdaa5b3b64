// The sealing calls over the real gRPC port (mutual TLS, the real CA, a real manager on
// SQLite and PostgreSQL), with the admin API beside them: an agent gets its KEK, wraps a
// data key as its envelope does (shared/src/sealing), has it unwrapped (audited with the
// user's token and the reason), re-wraps after a rotation, and is refused after a
// revocation. Hostile requests are refused with INVALID_ARGUMENT; no key material reaches
// the logs or the audit trail.
import { randomBytes } from 'node:crypto';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AgentServiceClient } from '@wardwatch/proto';
import type { SealingKey, UnwrapDataKeyRequest, WrappedDataKey } from '@wardwatch/proto';
import { wrapDataKey } from '@wardwatch/shared/sealing';
import { credentials } from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { caPemOf, enrollTestAgent, type TestAgent } from '../testing/test-agent.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { jsonApi, managerForTests, TEST_ADMIN_PASSWORD } from '../testing/test-manager.fixture';

const USER = 'u_0123456789abcdef';

describe.each(testEngines)('sealing calls on $name', ({ make, skip }) => {
  const running = managerForTests({ make, skip });
  const clients: AgentServiceClient[] = [];
  afterAll(() => clients.forEach((c) => c.close()));
  const api = jsonApi(() => running.manager);

  const clientOf = (agent: TestAgent) => {
    const client = new AgentServiceClient(
      `127.0.0.1:${running.manager.grpcPort}`,
      credentials.createSsl(
        Buffer.from(caPemOf(running.manager)),
        Buffer.from(agent.privateKeyPem),
        Buffer.from(agent.certificatePem),
      ),
    );
    clients.push(client);
    return {
      sealingKey: () => unary<SealingKey>((cb) => client.getSealingKey({}, new Metadata(), cb)),
      unwrap: (request: UnwrapDataKeyRequest) =>
        unary<{ dataKey: Buffer }>((cb) => client.unwrapDataKey(request, new Metadata(), cb)),
      rewrap: (keyId: string, keys: WrappedDataKey[]) =>
        unary<{ kekVersion: number; keys: { wrappedKey: Buffer; error: string }[] }>((cb) =>
          client.rewrapDataKeys({ keyId, keys }, new Metadata(), cb),
        ),
    };
  };

  const sealOne = (kek: SealingKey) => {
    const dataKey = randomBytes(32);
    const headerDigest = randomBytes(32);
    const wrappedKey = wrapDataKey(kek.publicKey, dataKey, { keyId: kek.keyId, kekVersion: kek.version, headerDigest });
    return { dataKey, key: { kekVersion: kek.version, wrappedKey, headerDigest } };
  };
  const openRequest = (keyId: string, key: WrappedDataKey): UnwrapDataKeyRequest => ({
    keyId,
    key,
    policyVersion: 4,
    userToken: USER,
    reason: 'Discharge letter needed for the GP',
  });

  it.skipIf(skip)('issues a KEK, unwraps a data key and audits the open, rotates, re-wraps, revokes', async () => {
    const agent = await enrollTestAgent(running.manager);
    const calls = clientOf(agent);
    const kek = await calls.sealingKey();
    expect(kek).toMatchObject({ version: 1 });
    expect(kek.publicKey).toHaveLength(32);
    expect((await calls.sealingKey()).keyId).toBe(kek.keyId);

    const file = sealOne(kek);
    const opened = await calls.unwrap(openRequest(kek.keyId, file.key));
    expect(Buffer.from(opened.dataKey).equals(file.dataKey)).toBe(true);
    const audit = running.manager.app.get(AuditService);
    expect((await audit.list(5, undefined, { action: 'seal.unwrap' }))[0]).toMatchObject({
      actor: `agent:${agent.agentId}`,
      details: {
        keyId: kek.keyId,
        version: 1,
        policyVersion: 4,
        userToken: USER,
        reason: 'Discharge letter needed for the GP',
      },
    });

    // The admin API: rotate, then the agent re-wraps its file's key without sending the data.
    const cookie = await api.login('admin', TEST_ADMIN_PASSWORD);
    const rotated = await api.call('POST', `/api/v1/agents/${agent.agentId}/keks/rotate`, undefined, cookie);
    expect(rotated.status).toBe(200);
    expect(await rotated.json()).toEqual({ keyId: kek.keyId, version: 2, previousVersion: 1 });
    const v2 = await calls.sealingKey();
    expect(v2).toMatchObject({ keyId: kek.keyId, version: 2 });
    // Version 1 still unwraps until its files are re-wrapped.
    expect(Buffer.from((await calls.unwrap(openRequest(kek.keyId, file.key))).dataKey).equals(file.dataKey)).toBe(true);
    const forged = { ...file.key, wrappedKey: randomBytes(92) };
    const rewrapped = await calls.rewrap(kek.keyId, [file.key, forged]);
    expect(rewrapped.kekVersion).toBe(2);
    expect(rewrapped.keys[1]).toMatchObject({ error: expect.stringMatching(/does not open/) as string });
    const moved = { kekVersion: 2, wrappedKey: rewrapped.keys[0].wrappedKey, headerDigest: file.key.headerDigest };
    expect(Buffer.from((await calls.unwrap(openRequest(kek.keyId, moved))).dataKey).equals(file.dataKey)).toBe(true);

    const list = await api.call('GET', `/api/v1/agents/${agent.agentId}/keks`, undefined, cookie);
    expect(((await list.json()) as { items: { version: number; current: boolean }[] }).items).toMatchObject([
      { version: 2, current: true },
      { version: 1, current: false },
    ]);

    // A stolen laptop: revoked, its files no longer open, nor re-wrap; the refusal is audited.
    const revoked = await api.call(
      'POST',
      `/api/v1/agents/${agent.agentId}/keks/revoke`,
      { reason: 'Laptop reported stolen' },
      cookie,
    );
    expect(await revoked.json()).toEqual({ agentId: agent.agentId, keyIds: [kek.keyId], versions: 2 });
    await expect(calls.unwrap(openRequest(kek.keyId, moved))).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
      details: 'this key has been revoked',
    });
    await expect(calls.rewrap(kek.keyId, [moved])).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
    expect((await audit.list(5, undefined, { action: 'seal.unwrap_refused' }))[0]).toMatchObject({
      details: { code: 'kek_revoked', userToken: USER },
    });
    expect((await audit.list(5, undefined, { action: 'kek.revoked' }))[0]).toMatchObject({
      actor: 'admin',
      details: { reason: 'Laptop reported stolen' },
    });
    // Sealing goes on under a new key; the old files stay closed.
    expect((await calls.sealingKey()).keyId).not.toBe(kek.keyId);

    // No key material in the logs or the audit trail.
    const secrets = [file.dataKey, kek.publicKey, v2.publicKey, rewrapped.keys[0].wrappedKey].flatMap((b) => [
      Buffer.from(b).toString('base64'),
      Buffer.from(b).toString('hex'),
    ]);
    const written = JSON.stringify(running.manager.logs) + JSON.stringify(await audit.list(200));
    for (const secret of secrets) expect(written).not.toContain(secret.slice(0, 24));
    agent.close();
  });

  it.skipIf(skip)("refuses hostile requests, other agents' keys and revoked agents", async () => {
    const agent = await enrollTestAgent(running.manager);
    const other = await enrollTestAgent(running.manager);
    const calls = clientOf(agent);
    const kek = await calls.sealingKey();
    const file = sealOne(kek);
    const invalid = { code: status.INVALID_ARGUMENT } satisfies Partial<ServiceError>;
    await expect(calls.unwrap({ ...openRequest(kek.keyId, file.key), userToken: 'nurse.jones' })).rejects.toMatchObject(
      invalid,
    );
    await expect(calls.unwrap({ ...openRequest(kek.keyId, file.key), reason: '' })).rejects.toMatchObject(invalid);
    // A workstation's own token opens only for a bulk unseal, and says so.
    await expect(
      calls.unwrap({ ...openRequest(kek.keyId, file.key), userToken: 'h_0123456789abcdef' }),
    ).rejects.toMatchObject(invalid);
    await expect(
      calls.unwrap({ ...openRequest(kek.keyId, file.key), userToken: 'd_0123456789abcdef', reason: 'bulk unseal: x' }),
    ).rejects.toMatchObject(invalid);
    await expect(calls.unwrap({ ...openRequest(kek.keyId, file.key), reason: 'x'.repeat(501) })).rejects.toMatchObject(
      invalid,
    );
    await expect(
      calls.unwrap(openRequest(kek.keyId, { ...file.key, wrappedKey: randomBytes(10_000) })),
    ).rejects.toMatchObject(invalid);
    await expect(calls.unwrap({ ...openRequest(kek.keyId, file.key), key: undefined })).rejects.toMatchObject(invalid);
    await expect(calls.unwrap(openRequest('../../etc', file.key))).rejects.toMatchObject(invalid);
    await expect(
      calls.rewrap(
        kek.keyId,
        Array.from({ length: 257 }, () => file.key),
      ),
    ).rejects.toMatchObject(invalid);
    await expect(calls.rewrap(kek.keyId, [])).rejects.toMatchObject(invalid);
    // The other agent cannot open this agent's files, even holding the wrapped key.
    await expect(clientOf(other).unwrap(openRequest(kek.keyId, file.key))).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    // A wrapped key moved to another file's header does not open.
    await expect(
      calls.unwrap(openRequest(kek.keyId, { ...file.key, headerDigest: randomBytes(32) })),
    ).rejects.toMatchObject(invalid);

    await running.manager.app.get(AgentService).revoke(agent.agentId, 'admin');
    await expect(calls.unwrap(openRequest(kek.keyId, file.key))).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    await expect(calls.sealingKey()).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
    agent.close();
    other.close();
  });
});

function unary<T>(start: (callback: (error: ServiceError | null, response?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    start((error, response) => (error ? reject(error) : resolve(response as T))),
  );
}
