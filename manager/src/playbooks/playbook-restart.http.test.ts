// What a restart must not lose: a second manager on the same database (a SQLite file, a
// PostgreSQL schema) does not decide again what the first one decided, and counts the
// first one's automatic commands against the caps; /metrics (scraped over HTTP) shows
// issues and caps hit.
import { Severity, type Score } from '@wardwatch/proto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentEntity } from '../agents/agent.entity';
import { ScoreIngestService } from '../alerts/score-ingest.service';
import { AuditService } from '../audit/audit.service';
import { CommandEntity } from '../commands/command.entity';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { PlaybookDecisionService } from './playbook-decision.service';

/** Two automatic actions per ransomware alert (default playbook), three allowed a minute. */
const env = { WARDWATCH_RESPONSE_MAX_AUTO_PER_MINUTE: '3' };
const windowStartMs = Date.now() - 60_000;

const ransomware = (id: string, user: string, score: number): Score => ({
  id,
  windowStartMs,
  windowEndMs: Date.now(),
  user,
  score,
  threshold: 60,
  severity: Severity.SEVERITY_CRITICAL,
  modelSource: 'own',
  baselineSource: 'user',
  reasons: [{ text: 'Ransomware burst: 30 files rewritten', source: 'rule', feature: '', ruleId: 'ransomware-burst' }],
  ruleIds: ['ransomware-burst'],
  scoredAtMs: Date.now(),
  partial: false,
  suspects: [{ pid: 4242, startTime: 1_733_140_000, executable: '' }],
});

async function addAgent(manager: TestManager, id: string): Promise<void> {
  await manager.app
    .get(DataSource)
    .getRepository(AgentEntity)
    .insert({
      id,
      hostname: `ward3-${id}`,
      os: 'linux',
      osVersion: '6',
      version: '0.1.0',
      status: 'offline',
      enrolledAt: 1,
      lastSeenAt: null,
      certFingerprint: id,
      stats: null,
    });
}

async function score(manager: TestManager, agentId: string, s: Score): Promise<void> {
  await manager.app.get(ScoreIngestService).ingest(agentId, { sequence: Date.now(), scores: [s] });
  await manager.app.get(PlaybookDecisionService).settled();
}

async function decisions(manager: TestManager): Promise<Record<string, unknown>[]> {
  const rows = await manager.app.get(AuditService).list(200);
  return rows.filter((r) => r.action === 'playbook.decision').map((r) => r.details);
}

const automaticCommands = (manager: TestManager) =>
  manager.app
    .get(DataSource)
    .getRepository(CommandEntity)
    .count({ where: { automatic: true } });

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(testEngines)('a manager restarted on the same $name database', ({ make, skip }) => {
  let database: TestDatabase | undefined;
  let first: TestManager | undefined;
  let second: TestManager | undefined;

  beforeAll(() => {
    if (!skip) database = make();
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await database?.dispose();
  });

  it.skipIf(skip)('does not decide again, and counts the first manager’s commands against the caps', async () => {
    if (!database) throw new Error('no database');
    first = await startTestManager({ database: database.config, env });
    await addAgent(first, 'ws-1');
    await addAgent(first, 'ws-2');
    await score(first, 'ws-1', ransomware('s-1', 'u_00112233aabbccdd', 90));
    const before = await decisions(first);
    expect(before.map((d) => [d.action, d.chosenMode]).sort()).toEqual([
      ['block_removable', 'automatic'],
      ['kill_process_tree', 'automatic'],
    ]);
    expect(await automaticCommands(first)).toBe(2);
    await first.stop();
    first = undefined;

    second = await startTestManager({ database: database.config, env });
    const alertId = before[0].alertId as string;
    // The same alert grows (a stronger score of its window) and is decided again, twice at once.
    await score(second, 'ws-1', ransomware('s-2', 'u_00112233aabbccdd', 97));
    const service = second.app.get(PlaybookDecisionService);
    expect(await Promise.all([service.decide(alertId), service.decide(alertId)])).toEqual([[], []]);
    expect(await decisions(second)).toHaveLength(2);
    expect(await automaticCommands(second)).toBe(2);

    // A new alert: one more automatic command fits the fleet cap of 3, the other asks a person.
    await score(second, 'ws-2', ransomware('s-3', 'u_99887766aabbccdd', 95));
    const fresh = (await decisions(second)).filter((d) => d.alertId !== alertId);
    expect(fresh.map((d) => [d.chosenMode, d.cappedBy ?? null]).sort()).toEqual([
      ['approve', 'fleet'],
      ['automatic', null],
    ]);
    expect(await automaticCommands(second)).toBe(3);

    const text = await (await fetch(`${second.httpUrl}/metrics`)).text();
    expect(sample(text, 'wardwatch_response_caps_hit_total{cap="fleet"}')).toBe(1);
    const issued = text
      .split('\n')
      .filter((l) => l.startsWith('wardwatch_response_commands_issued_total{') && l.includes('mode="automatic"'));
    expect(issued.map((l) => Number(l.split(' ').pop())).reduce((a, b) => a + b, 0)).toBe(1);
    expect(sample(text, 'wardwatch_response_approvals_pending')).toBe(1);
    expect(sample(text, 'wardwatch_response_command_refusals_total{reason="foreign_result"}')).toBe(0);
  });
});
