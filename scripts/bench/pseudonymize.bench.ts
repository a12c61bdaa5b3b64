// What pseudonymisation costs the agent per event, on the agent's real code.
// Baseline in the same run: the copy of each event the pipeline makes anyway
// (structuredClone), so the printed ratio is the price of the HMACs, canonical
// forms and path classification on top of handling the event at all.
//   npx tsx scripts/bench/pseudonymize.bench.ts
import { randomBytes } from 'node:crypto';
import type { Event } from '@wardwatch/proto';
import { pseudonymizeEvent } from '../../agent/src/pseudonymize/pseudonymize-event';
import { Pseudonymizer } from '../../agent/src/pseudonymize/pseudonymizer';

const N = Number(process.env.WW_EVENTS ?? 200_000);
const p = new Pseudonymizer(randomBytes(32), { folders: [{ path: '/srv/records', class: 'phi' }] });

function event(i: number): Event {
  const user = `nurse.${i % 500}`;
  switch (i % 3) {
    case 0:
      return {
        id: String(i),
        timeMs: i,
        sequence: 0,
        severity: 2,
        user,
        detail: {
          $case: 'file',
          value: {
            action: 'write',
            path: `/srv/records/ward${i % 20}/letter-${i}.pdf`,
            previousPath: '',
            folderClass: 'phi',
            extension: '.pdf',
            depth: 2,
            sizeBytes: 2048,
            entropy: 4.2,
            owner: user,
            process: '',
            pid: 0,
          },
        },
      };
    case 1:
      return {
        id: String(i),
        timeMs: i,
        sequence: 0,
        severity: 3,
        user,
        detail: {
          $case: 'login',
          value: {
            action: 'failed_logon',
            method: 'password',
            service: 'sshd',
            tty: 'ssh',
            sourceHost: '',
            sourceIp: `10.0.${i % 250}.${i % 200}`,
            sourcePort: 40000 + (i % 20000),
            targetUser: '',
            raw: 'Failed password for …',
          },
        },
      };
    default:
      return {
        id: String(i),
        timeMs: i,
        sequence: 0,
        severity: 1,
        user,
        detail: {
          $case: 'process',
          value: {
            action: 'start',
            pid: i,
            ppid: 1,
            executable: i % 2 ? '/usr/bin/python3' : `/home/${user}/bin/tool`,
            commandLine: 'tool --x',
            sha256: '',
          },
        },
      };
  }
}

function run(label: string, work: (e: Event) => unknown, events: Event[]): number {
  for (let i = 0; i < 5_000; i++) work(events[i % events.length]); // warm up
  const start = process.hrtime.bigint();
  for (const e of events) work(e);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = events.length / seconds;
  console.log(
    `${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} events/s  ${((seconds / events.length) * 1e6).toFixed(2)} µs/event`,
  );
  return perSecond;
}

const events = Array.from({ length: N }, (_, i) => event(i));
console.log(
  `pseudonymisation, ${N.toLocaleString('en-US')} events (file / login / process in turn), Node ${process.version}`,
);
const baseline = run('baseline: structuredClone', (e) => structuredClone(e), events);
const measured = run('pseudonymizeEvent', (e) => pseudonymizeEvent(e, p), events);
console.log(
  `ratio (pseudonymise / clone): ${(baseline / measured).toFixed(2)}×; at the issue's 1,000 file events/s this is ${((1_000 / measured) * 100).toFixed(2)} % of one core`,
);
