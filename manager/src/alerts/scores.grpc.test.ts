// Scores over the real agents' gRPC port: an enrolled agent says Hello and gets
// the fleet model it lacks, sends a ScoreBatch, gets a ScoreAck after commit,
// and the alert is served by the REST API with its reasons.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  AgentServiceClient,
  Severity,
  type AgentMessage,
  type EnrollResponse,
  type ManagerMessage,
} from '@wardwatch/proto';
import { AlertPage, ScorePage } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnrollmentTokenService } from '../enrollment/enrollment-token.service';
import {
  makeKeyAndCsr,
  startTestManager,
  TEST_ADMIN_PASSWORD,
  type TestManager,
} from '../testing/test-manager.fixture';

const host = { hostname: 'ward3-ws12', os: 'linux', osVersion: '6.1', agentVersion: '0.1.0' };

describe('scores and the fleet model on the agent session', () => {
  let manager: TestManager;
  let caPem = '';
  let client: AgentServiceClient;
  let agentId = '';

  beforeAll(async () => {
    manager = await startTestManager();
    caPem = readFileSync(join(manager.config.dataDir, 'pki', 'ca.cert.pem'), 'utf8');
    const address = `127.0.0.1:${manager.grpcPort}`;
    const { token } = await manager.app.get(EnrollmentTokenService).create(10, 'test');
    const keys = await makeKeyAndCsr();
    const anonymous = new AgentServiceClient(address, credentials.createSsl(Buffer.from(caPem)));
    const response = await new Promise<EnrollResponse>((resolve, reject) =>
      anonymous.enroll(
        { token, csrPem: keys.csrPem, host },
        new Metadata(),
        { deadline: Date.now() + 10_000 },
        (error: ServiceError | null, r?: EnrollResponse) => (error ? reject(error) : resolve(r!)),
      ),
    );
    anonymous.close();
    agentId = response.agentId;
    client = new AgentServiceClient(
      address,
      credentials.createSsl(Buffer.from(caPem), Buffer.from(keys.privateKeyPem), Buffer.from(response.certificatePem)),
    );
    // A fleet model in the manager's data folder, as scripts/fleet-model writes it.
    const folder = join(manager.config.dataDir, 'fleet-model');
    mkdirSync(join(folder, 'autoencoder'), { recursive: true });
    writeFileSync(join(folder, 'scoring-state.json'), JSON.stringify({ featureSetVersion: 1, hasModel: false }));
  });
  afterAll(async () => {
    client?.close();
    await manager?.stop();
  });

  const session = (messages: AgentMessage[], until: (got: ManagerMessage[]) => boolean) =>
    new Promise<ManagerMessage[]>((resolve, reject) => {
      const call = client.session({ deadline: Date.now() + 10_000 });
      const got: ManagerMessage[] = [];
      call.on('data', (m: ManagerMessage) => {
        got.push(m);
        if (until(got)) {
          call.cancel();
          resolve(got);
        }
      });
      call.on('error', (error: ServiceError) =>
        until(got)
          ? resolve(got)
          : reject(
              new Error(
                `${error.message} after ${JSON.stringify(got.map((m) => m.body?.$case))}; ${JSON.stringify(manager.logs.filter((l) => l.level !== 'debug' && l.level !== 'info'))}`,
              ),
            ),
      );
      for (const m of messages) call.write(m);
    });

  it(
    'sends the fleet model to an agent without it, stores scores, acks them, and serves the alert',
    { timeout: 20_000 },
    async () => {
      const hello: AgentMessage = {
        body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: '0.1.0', host, fleetModelVersion: '' } },
      };
      const scores: AgentMessage = {
        body: {
          $case: 'scores',
          value: {
            sequence: 7,
            scores: [
              {
                id: 'score-1',
                windowStartMs: Date.UTC(2026, 11, 1),
                windowEndMs: Date.UTC(2026, 11, 2),
                user: 'u_00112233aabbccdd',
                score: 81.5,
                threshold: 60,
                severity: Severity.SEVERITY_HIGH,
                modelSource: 'fleet',
                baselineSource: 'fleet',
                ruleIds: ['brute-force'],
                scoredAtMs: Date.now(),
                partial: true,
                suspects: [],
                reasons: [
                  {
                    text: 'Brute force against one account: 10 failed logons for this account within 10m',
                    source: 'rule',
                    feature: '',
                    ruleId: 'brute-force',
                    value: 10,
                  },
                ],
              },
            ],
          },
        },
      };
      const got = await session([hello, scores], (g) => g.some((m) => m.body?.$case === 'scoreAck'));
      const model = got.find((m) => m.body?.$case === 'fleetModel');
      expect(model?.body?.$case === 'fleetModel' && model.body.value).toMatchObject({
        featureSetVersion: 1,
        files: [{ name: 'scoring-state.json' }],
      });
      const version = model?.body?.$case === 'fleetModel' ? model.body.value.version : '';
      expect(version).toMatch(/^sha256:[0-9a-f]{32}$/);
      expect(got.find((m) => m.body?.$case === 'scoreAck')?.body).toEqual({
        $case: 'scoreAck',
        value: { sequence: 7 },
      });

      // An agent that already holds this version is not sent it again.
      const again = await session(
        [
          {
            body: {
              $case: 'hello',
              value: { commandKeyIds: [], agentVersion: '0.1.0', host, fleetModelVersion: version },
            },
          },
          { ...scores },
        ],
        (g) => g.some((m) => m.body?.$case === 'scoreAck'),
      );
      expect(again.some((m) => m.body?.$case === 'fleetModel')).toBe(false);

      const login = await fetch(`${manager.httpUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const page = AlertPage.parse(
        await (await fetch(`${manager.httpUrl}/api/v1/alerts`, { headers: { cookie } })).json(),
      );
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({
        agentId,
        user: 'u_00112233aabbccdd',
        score: 82,
        severity: 'high',
        title: 'Brute force against one account',
        threshold: 60,
      });
      expect(page.items[0].reasons).toEqual([
        'Brute force against one account: 10 failed logons for this account within 10m',
      ]);
      expect(manager.logs.some((l) => l.msg === 'fleet model sent' && l.version === version)).toBe(true);
      const stored = ScorePage.parse(
        await (await fetch(`${manager.httpUrl}/api/v1/scores?user=u_00112233aabbccdd`, { headers: { cookie } })).json(),
      );
      expect(stored.items.map((s) => [s.id, s.score, s.partial, s.alertId])).toEqual([
        ['score-1', 81.5, true, page.items[0].id],
      ]);
      expect((await fetch(`${manager.httpUrl}/api/v1/scores`)).status).toBe(401);
    },
  );
});
