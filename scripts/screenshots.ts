// README screenshots: starts a manager on a temporary folder with demo rows (three
// workstations, alerts, ten days of scores, events), signs in with Chromium and saves
// the overview, one alert's detail, one workstation's page and the Integrations page as PNGs
// in docs/screenshots/.
//   npx tsc -b && npm run build -w @wardwatch/dashboard && npx tsx scripts/screenshots.ts
// (the manager comes from manager/dist: Nest needs the decorator metadata tsc emits)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AgentEntity } from '../manager/dist/agents/agent.entity';
import { AlertEntity } from '../manager/dist/alerts/alert.entity';
import { RiskScoreEntity } from '../manager/dist/alerts/risk-score.entity';
import { parseConfig } from '../manager/dist/config/config.schema';
import { EventEntity } from '../manager/dist/events/event.entity';
import { JsonLogger } from '../manager/dist/logging/json-logger';
import { startManager } from '../manager/dist/manager.app';
import {
  agentRow,
  alertRow,
  eventRow,
  failedLogon,
  insertRows,
  scoreRow,
  tokenOf,
} from '../manager/dist/overview/overview-rows.fixture';
import { launchChromium, submitSignIn } from '../test/support/browser';

const OUT = join(__dirname, '..', 'docs', 'screenshots');
const PASSWORD = 'screenshot-admin-password-1234';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function seed(db: DataSource): Promise<void> {
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  await insertRows(db, AgentEntity, [
    {
      ...agentRow('ws-icu-01', 'ws-icu-01', 'icu'),
      osVersion: 'Debian 13',
      enrolledAt: now - 40 * DAY,
      lastSeenAt: now - 20_000,
      heartbeatAt: now - 20_000,
      stats: {
        eventsSent: 48_210,
        eventsDropped: 37,
        queueLength: 12,
        outboxBytes: 9_800,
        cpuPercent: 1.2,
        rssBytes: 61e6,
      },
      droppedByReason: { 'rate_limit.low.file': 35, 'queue_full.low.network': 2 },
      components: ['files', 'logins', 'processes', 'devices', 'network'].map((c) => ({
        name: `collector.${c}`,
        state: 'running' as const,
        message: '',
        sinceMs: now - 5 * HOUR,
      })),
    },
    agentRow('ws-ed-02', 'ws-ed-02', 'ed'),
    agentRow('ws-lab-01', 'ws-lab-01', 'lab'),
  ]);
  const users = [1, 2, 3, 4].map((n) => tokenOf('u', n));
  const hosts = ['ws-icu-01', 'ws-ed-02', 'ws-lab-01'];
  await insertRows(
    db,
    AlertEntity,
    Array.from({ length: 14 }, (_, i) =>
      alertRow({
        id: `al${i}`,
        agentId: hosts[i % 3],
        createdAt: now - (i * 1.6 + 0.5) * HOUR,
        severity: i % 4 === 0 ? 5 : i % 2 ? 3 : 4,
        score: 60 + ((i * 7) % 38),
        user: users[i % 4],
        ruleIds: i % 3 === 0 ? ['brute-force'] : i % 3 === 1 ? ['ransomware-burst'] : [],
      }),
    ),
  );
  await insertRows(
    db,
    RiskScoreEntity,
    Array.from({ length: 14 }, (_, d) =>
      hosts.map((host, h) =>
        scoreRow(`s${d}-${h}`, host, users[h], today - (14 - d) * DAY + 9 * HOUR, 18 + h * 9 + d * 1.5 + ((d * 7) % 5)),
      ),
    ).flat(),
  );
  await insertRows(db, EventEntity, [
    ...Array.from({ length: 12 }, (_, i) =>
      eventRow(failedLogon(`f${i}`, 'ws-icu-01', now - i * HOUR, tokenOf('ip', 10 + (i % 3)))),
    ),
    ...Array.from({ length: 20 }, (_, i) =>
      eventRow({
        id: `w${i}`,
        agentId: hosts[i % 3],
        timeMs: now - i * HOUR,
        user: users[i % 4],
        category: 'file',
        action: 'write',
      }),
    ),
  ]);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-screenshots-'));
  const config = parseConfig(
    {
      WARDWATCH_DATA_DIR: dataDir,
      WARDWATCH_HTTP_PORT: '0',
      WARDWATCH_GRPC_PORT: '0',
      WARDWATCH_GRPC_HOST: '127.0.0.1',
      WARDWATCH_ADMIN_PASSWORD: PASSWORD,
      WARDWATCH_MFA_REQUIRED_ROLES: 'none',
    },
    dataDir,
  );
  const manager = await startManager(config, new JsonLogger('error', { write: () => undefined }), {
    banner: { write: () => undefined },
  });
  const browser = await launchChromium();
  try {
    await seed(manager.app.get(DataSource));
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'admin', PASSWORD);
    await page.getByTestId('chart-alerts-over-time').waitFor({ timeout: 15_000 });
    await page.getByTestId('trend-subject').selectOption('unit:icu');
    await page.waitForTimeout(1_500);
    // Two SIEM destinations for the Integrations page (nothing listens: their records go dead).
    for (const [name, config] of [
      [
        'soc-webhook',
        { type: 'webhook', url: 'http://127.0.0.1:9/siem', secret: 'screenshot-secret-0123456789abcdef' },
      ],
      ['soc-syslog', { type: 'syslog', host: '127.0.0.1', port: 6514 }],
    ] as const)
      await page.request.post(`${manager.httpUrl}/api/v1/forwarding/destinations`, { data: { name, config } });
    const shots: [string, string, string][] = [
      ['overview.png', '#/overview', 'chart-alerts-over-time'],
      ['alert-detail.png', '#/alerts/al0', 'alert-detail'],
      ['agent-page.png', '#/fleet/ws-icu-01', 'chart-agent-risk-trend'],
      ['integrations.png', '#/integrations', 'destination-row'],
    ];
    for (const [file, hash, ready] of shots) {
      if (hash !== '#/overview') await page.goto(`${manager.httpUrl}/${hash}`);
      await page
        .getByTestId(ready)
        .first()
        .waitFor({ timeout: 15_000 })
        .catch(() => undefined);
      await page.waitForTimeout(1_000);
      const path = join(OUT, file);
      await page.screenshot({ path });
      console.log(`${path}: ${Math.round(statSync(path).size / 1024)} KB`);
    }
  } finally {
    await browser.close();
    await manager.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
