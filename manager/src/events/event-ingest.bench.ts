// Measures batch ingest (validate + idempotent multi-row insert + commit) on the
// configured engines. Run: npx tsx manager/src/events/event-ingest.bench.ts [events] [batch]
// Not part of the test run; keep it short on shared machines.
import 'reflect-metadata';
import { Severity, type Event } from '@wardwatch/proto';
import {
  postgresTestDatabase,
  postgresUnavailable,
  sqliteTestDatabase,
  type TestDatabase,
} from '../testing/test-databases.fixture';
import { servicesOn } from '../testing/services.fixture';

const total = Number(process.argv[2] ?? 20_000);
const batchSize = Number(process.argv[3] ?? 500);

function event(i: number): Event {
  return {
    id: `bench-${i}`,
    timeMs: 1_700_000_000_000 + i,
    sequence: 0,
    severity: Severity.SEVERITY_INFO,
    user: 'u_0000000000000bec',
    detail: {
      $case: 'file',
      value: {
        action: 'write',
        path: `p_phi_d3_${(i % 97).toString(16).padStart(16, '0')}.docx`,
        previousPath: '',
        folderClass: 'phi',
        extension: '.docx',
        depth: 3,
        sizeBytes: 4096,
        entropy: 4.2,
        owner: '',
        process: '',
        pid: 0,
      },
    },
  };
}

async function run(database: TestDatabase): Promise<void> {
  const db = await database.open();
  try {
    const ingest = servicesOn(db).eventIngest;
    const started = performance.now();
    for (let seq = 0; seq * batchSize < total; seq++) {
      const events = Array.from({ length: Math.min(batchSize, total - seq * batchSize) }, (_, i) =>
        event(seq * batchSize + i),
      );
      await ingest.ingest('bench-agent', 'bench-host', { sequence: seq, events, dropped: {} });
    }
    const seconds = (performance.now() - started) / 1000;
    const resendStart = performance.now();
    await ingest.ingest('bench-agent', 'bench-host', {
      sequence: 0,
      events: Array.from({ length: batchSize }, (_, i) => event(i)),
      dropped: {},
    });
    console.log(
      `${database.kind}: ${total} events in batches of ${batchSize}: ${(total / seconds).toFixed(0)} events/s (${seconds.toFixed(2)} s); resending one batch ${(performance.now() - resendStart).toFixed(1)} ms`,
    );
  } finally {
    await db.destroy();
    await database.dispose();
  }
}

async function main(): Promise<void> {
  await run(sqliteTestDatabase());
  if (await postgresUnavailable()) console.log('postgres: unreachable, skipped');
  else await run(postgresTestDatabase());
}

void main();
