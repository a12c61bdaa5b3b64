// EvaluatePseudonyms over the real gRPC port (mutual TLS, the manager's CA, a real manager):
// an enrolled agent gets no site key in OPRF mode, blinds values, has them evaluated and
// finalizes tokens (a path's from its folder's output, an address's from its network's) equal to what re-identification
// computes with the key; a hostile agent's
// oversized batch, malformed element and flood are refused; a call marked priority (a score's
// values) is served from a small reserve once events' values spent the rate, and a hostile
// agent marking every call gains that reserve only; a manager in local-key mode
// evaluates nothing. Not a database feature: SQLite only.
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AgentServiceClient, type EvaluatePseudonymsResponse } from '@wardwatch/proto';
import { macOfOprfOutput, oprfAddressMac, oprfInput, oprfPathMac } from '@wardwatch/shared/pseudonyms';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SitePseudonyms } from '../reidentification/site-pseudonyms';
import { caPemOf, enrollTestAgent, type TestAgent } from '../testing/test-agent.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { managerForTests, type TestManager } from '../testing/test-manager.fixture';
import { AuditService } from '../audit/audit.service';
import { EVALUATION_AUDIT_ACTION, EvaluationAuditJob } from './evaluation-audit.job';
import { OPRF_KEY_FILE } from './oprf-key.store';

const { oprf } = ristretto255_oprf;
const sqlite = testEngines[0];
const clients: AgentServiceClient[] = [];
afterAll(() => clients.forEach((c) => c.close()));

function evaluateAs(manager: TestManager, agent: TestAgent) {
  const client = new AgentServiceClient(
    `127.0.0.1:${manager.grpcPort}`,
    credentials.createSsl(
      Buffer.from(caPemOf(manager)),
      Buffer.from(agent.privateKeyPem),
      Buffer.from(agent.certificatePem),
    ),
  );
  clients.push(client);
  return (blinded: Uint8Array[], priority = false) =>
    new Promise<EvaluatePseudonymsResponse>((resolve, reject) =>
      client.evaluatePseudonyms(
        { blinded: blinded.map((b) => Buffer.from(b)), priority },
        new Metadata(),
        (error: ServiceError | null, answer?: EvaluatePseudonymsResponse) => (error ? reject(error) : resolve(answer!)),
      ),
    );
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: ServiceError) => error.code,
  );

describe('EvaluatePseudonyms in OPRF mode', () => {
  const running = managerForTests(sqlite, {
    WARDWATCH_PSEUDONYM_MODE: 'oprf',
    WARDWATCH_PSEUDONYM_MAX_BATCH: '8',
    WARDWATCH_PSEUDONYM_BURST: '20',
    WARDWATCH_PSEUDONYM_VALUES_PER_MINUTE: '1',
    WARDWATCH_PSEUDONYM_PRIORITY_PER_MINUTE: '1',
    WARDWATCH_PSEUDONYM_PRIORITY_BURST: '8',
  });

  it('gives no key at enrollment and evaluates blinded values into the tokens re-identification computes', async () => {
    const agent = await enrollTestAgent(running.manager);
    expect(agent.pseudonymKey).toHaveLength(0);
    const evaluate = evaluateAs(running.manager, agent);
    const values = ['nurse.jones', 'dr.house'];
    const blinds = values.map((v) => ({ input: oprfInput('user', v), ...oprf.blind(oprfInput('user', v)) }));
    const answer = await evaluate(blinds.map((b) => b.blinded));
    expect(answer.keyId).toMatch(/^[0-9a-f]{16}$/);
    const tokens = blinds.map((b, i) => `u_${macOfOprfOutput(oprf.finalize(b.input, b.blind, answer.evaluated[i]))}`);
    const site = running.manager.app.get(SitePseudonyms);
    expect(tokens).toEqual(values.map((v) => site.tokenOf('user', v).token));
    expect(site.matches('user', tokens[0].slice(2), 'HOSPITAL\\Nurse.Jones')).toBe(true);
    expect(site.matches('user', tokens[0].slice(2), 'dr.house')).toBe(false);
    // A path: the agent has its FOLDER evaluated and keys the path's MAC with it (oprfPathMac).
    const path = '/srv/records/ward3/discharge.pdf';
    const folder = { input: oprfInput('folder', path), ...oprf.blind(oprfInput('folder', path)) };
    const [evaluatedFolder] = (await evaluate([folder.blinded])).evaluated;
    const folderOutput = oprf.finalize(folder.input, folder.blind, evaluatedFolder);
    for (const file of [path, '/srv/records/ward3/another.pdf']) {
      const mac = oprfPathMac(folderOutput, file);
      expect(site.tokenOf('path', file).token).toBe(`p_*_${mac}`);
      expect(site.matches('path', mac, file.replace('/ward3/', '//ward3/./'))).toBe(true);
    }
    expect(site.matches('path', oprfPathMac(folderOutput, path), '/srv/records/ward4/discharge.pdf')).toBe(false);
    // An address: its NETWORK (/24) is evaluated and keys the address's MAC (oprfAddressMac); a
    // host given as an address is that address.
    const network = { input: oprfInput('network', '10.1.7.42'), ...oprf.blind(oprfInput('network', '10.1.7.42')) };
    const [evaluatedNetwork] = (await evaluate([network.blinded])).evaluated;
    const networkOutput = oprf.finalize(network.input, network.blind, evaluatedNetwork);
    for (const address of ['10.1.7.42', '10.1.7.200']) {
      const mac = oprfAddressMac(networkOutput, address);
      expect(site.tokenOf('ip', address).token).toBe(`ip_${mac}`);
      expect(site.tokenOf('host', address).token).toBe(`ip_${mac}`);
      expect(site.matches('ip', mac, `::ffff:${address}`)).toBe(true);
    }
    expect(site.matches('ip', oprfAddressMac(networkOutput, '10.1.7.42'), '10.1.8.42')).toBe(false);
    // The blinded elements say nothing of the value: blinding it again gives other bytes.
    expect(Buffer.from(oprf.blind(oprfInput('user', values[0])).blinded)).not.toEqual(Buffer.from(blinds[0].blinded));
    // The key is sealed at rest: owner-only, and not the raw 32-byte scalar.
    const keyFile = join(running.manager.config.dataDir, OPRF_KEY_FILE);
    expect(existsSync(keyFile) && statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile).length).toBeGreaterThan(32);
  });

  it('refuses a hostile batch whole: too many values, a malformed element, a flood', async () => {
    const agent = await enrollTestAgent(running.manager);
    const evaluate = evaluateAs(running.manager, agent);
    const good = () => oprf.blind(Buffer.from(`user\0n${Math.random()}`)).blinded;
    expect(await codeOf(evaluate(Array.from({ length: 9 }, good)))).toBe(status.INVALID_ARGUMENT);
    expect(await codeOf(evaluate([good(), new Uint8Array(32)]))).toBe(status.INVALID_ARGUMENT); // identity
    expect(await codeOf(evaluate([good(), Buffer.alloc(32, 0xff)]))).toBe(status.INVALID_ARGUMENT); // not canonical
    expect(await codeOf(evaluate([good(), Buffer.alloc(33, 1)]))).toBe(status.INVALID_ARGUMENT);
    // A burst of 20 values (the malformed calls above spent 6: the rate is taken before the check), then none.
    expect(await codeOf(evaluate(Array.from({ length: 8 }, good)))).toBe('ok');
    expect(await codeOf(evaluate(Array.from({ length: 8 }, good)))).toBe(status.RESOURCE_EXHAUSTED);
    // Another agent has its own bucket.
    const other = evaluateAs(running.manager, await enrollTestAgent(running.manager));
    expect(await codeOf(other([good()]))).toBe('ok');
  });

  it("keeps a reserve for priority calls once events' values spent the rate, and no more", async () => {
    const agent = await enrollTestAgent(running.manager);
    const evaluate = evaluateAs(running.manager, agent);
    const good = () => oprf.blind(Buffer.from(`user\0p${Math.random()}`)).blinded;
    // A ransomware burst's file names spend the whole rate (burst 20).
    for (const n of [8, 8, 4]) expect(await codeOf(evaluate(Array.from({ length: n }, good)))).toBe('ok');
    expect(await codeOf(evaluate([good()]))).toBe(status.RESOURCE_EXHAUSTED);
    // A score's values still go through, evaluated under the key like any other.
    const input = oprfInput('user', 'sister.ward');
    const blind = oprf.blind(input);
    const answer = await evaluate([blind.blinded, good()], true);
    const site = running.manager.app.get(SitePseudonyms);
    expect(`u_${macOfOprfOutput(oprf.finalize(input, blind.blind, answer.evaluated[0]))}`).toBe(
      site.tokenOf('user', 'sister.ward').token,
    );
    // The reserve is small (8) and shared by the agent's priority calls; then the main rate rules.
    expect(await codeOf(evaluate(Array.from({ length: 6 }, good), true))).toBe('ok');
    expect(await codeOf(evaluate([good()], true))).toBe(status.RESOURCE_EXHAUSTED);
    // A hostile agent marking every call priority gets the reserve and the rate, nothing more: 8 + 20.
    const hostile = evaluateAs(running.manager, await enrollTestAgent(running.manager));
    for (const n of [8, 8, 8, 4]) expect(await codeOf(hostile(Array.from({ length: n }, good), true))).toBe('ok');
    expect(await codeOf(hostile([good()], true))).toBe(status.RESOURCE_EXHAUSTED);
  });

  it("audits an agent's evaluations once per window: values, calls and refusals by reason, chained", async () => {
    const job = running.manager.app.get(EvaluationAuditJob);
    const audit = running.manager.app.get(AuditService);
    await job.tick(); // the earlier tests' window
    const agent = await enrollTestAgent(running.manager);
    const evaluate = evaluateAs(running.manager, agent);
    const good = () => oprf.blind(Buffer.from(`user\0w${Math.random()}`)).blinded;
    expect(await codeOf(evaluate(Array.from({ length: 8 }, good)))).toBe('ok');
    expect(await codeOf(evaluate(Array.from({ length: 8 }, good)))).toBe('ok');
    expect(await codeOf(evaluate(Array.from({ length: 8 }, good)))).toBe(status.RESOURCE_EXHAUSTED);
    expect(await codeOf(evaluate(Array.from({ length: 9 }, good)))).toBe(status.INVALID_ARGUMENT);
    await job.tick();
    await job.tick(); // an empty window writes nothing
    const rows = (await audit.readAll()).filter(
      (r) => r.action === EVALUATION_AUDIT_ACTION && r.target === agent.agentId,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].actor).toBe(`agent:${agent.agentId}`);
    expect(rows[0].details).toMatchObject({ values: 16, calls: 4, refused: { rate_limited: 1, batch_too_large: 1 } });
    expect((await audit.verify()).ok).toBe(true);
  });
});

describe('EvaluatePseudonyms in local-key mode', () => {
  // Said explicitly: a new site records OPRF unless told otherwise (pseudonym-mode/).
  const running = managerForTests(sqlite, { WARDWATCH_PSEUDONYM_MODE: 'local-key' });

  it('evaluates nothing: agents there hold the site key', async () => {
    const agent = await enrollTestAgent(running.manager);
    expect(agent.pseudonymKey).toHaveLength(32);
    const evaluate = evaluateAs(running.manager, agent);
    expect(await codeOf(evaluate([oprf.blind(Buffer.from('user\0x')).blinded]))).toBe(status.FAILED_PRECONDITION);
  });
});
