// What one check of the playbooks' caps costs (issue #8): the count of automatic commands
// issued in the last minute, fleet-wide and for one unit, on SQLite with WW_COMMANDS rows
// (100k by default) in the command table, most of them old and not automatic, as a site
// that has run for months holds them. Prints the query plan (it must use
// idx_command_automatic_issued) and the median and p99 of WW_CHECKS checks; then the same
// without that index (SQLite falls back to idx_command_issued), for comparison.
//   npx tsx --tsconfig manager/tsconfig.json scripts/bench/cap-check.bench.ts
// (the manager's tsconfig: its entities need the legacy decorators)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AgentEntity } from '../../manager/src/agents/agent.entity';
import { CommandEntity } from '../../manager/src/commands/command.entity';
import { CommandRepository } from '../../manager/src/commands/command.repository';
import { openDatabase } from '../../manager/src/database/data-source.factory';
import { managerEntities } from '../../manager/src/entities';

const COMMANDS = Number(process.env.WW_COMMANDS ?? 100_000);
const CHECKS = Number(process.env.WW_CHECKS ?? 2_000);
const AGENTS = 500;
const UNITS = 20;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ww-cap-bench-'));
  const db = await openDatabase({ kind: 'sqlite', file: join(dir, 'bench.sqlite') }, managerEntities);
  try {
    const now = Date.now();
    const agents = db.getRepository(AgentEntity);
    for (let i = 0; i < AGENTS; i += 100)
      await agents.insert(
        Array.from({ length: 100 }, (_, k) => ({
          id: `agent-${i + k}`,
          hostname: `ws-${i + k}`,
          os: 'linux',
          osVersion: '6',
          version: '0.1.0',
          status: 'offline' as const,
          enrolledAt: 1,
          lastSeenAt: null,
          certFingerprint: `fp-${i + k}`,
          stats: null,
          unit: `unit-${(i + k) % UNITS}`,
        })),
      );
    const commands = db.getRepository(CommandEntity);
    for (let i = 0; i < COMMANDS; i += 500) {
      const rows = Array.from({ length: Math.min(500, COMMANDS - i) }, (_, k) => {
        const n = i + k;
        // Spread over 90 days; 1 in 5 automatic; the newest 30 rows inside the last minute.
        const issuedAt = n >= COMMANDS - 30 ? now - (COMMANDS - n) * 1_000 : now - 120_000 - (n % 7_776_000) * 1_000;
        return {
          id: `cmd-${n}`,
          agentId: `agent-${n % AGENTS}`,
          actionKind: 'lockScreen',
          action: { user: 'u_0123456789abcdef', sessionId: '' },
          reason: 'bench',
          warningSeconds: 0,
          automatic: n % 5 === 0 || n >= COMMANDS - 30,
          dryRun: false,
          issuedAt,
          expiresAt: issuedAt + 300_000,
          state: 'done' as const,
          decision: { source: 'playbook' as const },
          sentAt: null,
          keyId: null,
          resultOutcome: null,
          resultMessage: null,
          resultDetails: null,
          finishedAt: null,
        };
      });
      await commands.insert(rows);
    }
    const repo = new CommandRepository(db);
    const since = now - 59_999;
    console.log('one check:', await repo.automaticSince(since, 'unit-3'));
    const automatic = await commands.count({ where: { automatic: true } });
    await measure(db, repo, since, `${COMMANDS} command rows (${automatic} automatic)`);
    await db.query('DROP INDEX idx_command_automatic_issued');
    await measure(db, repo, since, 'without idx_command_automatic_issued');
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(db: DataSource, repo: CommandRepository, since: number, label: string): Promise<void> {
  const plan = await db.query<{ detail: string }[]>(
    `EXPLAIN QUERY PLAN SELECT /* ${label} */ COUNT(*), SUM(CASE WHEN a.unit = ? THEN 1 ELSE 0 END)
     FROM command c LEFT JOIN agent a ON a.id = c.agent_id WHERE c.automatic = 1 AND c.issued_at >= ?`,
    ['unit-3', since],
  );
  for (let i = 0; i < 200; i++) await repo.automaticSince(since, `unit-${i % UNITS}`);
  const micros: number[] = [];
  for (let i = 0; i < CHECKS; i++) {
    const start = process.hrtime.bigint();
    await repo.automaticSince(since, `unit-${i % UNITS}`);
    micros.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
  micros.sort((a, b) => a - b);
  const at = (q: number) => micros[Math.min(micros.length - 1, Math.floor(q * micros.length))].toFixed(0);
  console.log(`${label}, ${CHECKS} checks: median ${at(0.5)} µs, p99 ${at(0.99)} µs per cap check`);
  console.log(`  plan: ${plan.map((p) => p.detail).join(' | ')}`);
}

void main();
