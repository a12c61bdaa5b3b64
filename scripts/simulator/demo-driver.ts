// Drives `npm start`'s demo: a short scenario from the simulator, replayed as the
// real things a workstation would see — sshd lines appended to the demo auth log,
// files written into the demo patient-records folder — at a gentle rate, so that
// the dashboard shows events and then alerts with their reasons within a minute.
// Order: an ordinary logon and a few notes; a brute-force burst against one
// account; a ransomware-like burst of encrypted-looking rewrites.
import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PortableEventInput } from '@wardwatch/shared';
import { buildHospital } from './hospital';
import { Rng } from './rng';
import { SCENARIO_MAKERS } from './scenarios';
import { SIMULATION_START } from './simulate';

export interface DemoTarget {
  phiFolder: string;
  authLog: string;
  /** Host name written into the syslog lines. */
  hostname: string;
}

export type DemoAction = { kind: 'auth'; message: string } | { kind: 'file'; name: string; encrypted: boolean };

/** Where a logon comes from when the scenario does not say. */
const DEFAULT_SOURCE_IP = '10.0.0.10';

export interface DemoStep {
  /** Milliseconds after the demo starts. */
  atMs: number;
  action: DemoAction;
  /** What the step stands for, for the console. */
  label: string;
}

/** One portable event as what the agent would observe; null for kinds the demo cannot act out. */
export function actionFor(event: PortableEventInput): DemoAction | null {
  switch (event.kind) {
    case 'failed_logon':
      return {
        kind: 'auth',
        message: `Failed password for ${event.user} from ${event.sourceIp ?? DEFAULT_SOURCE_IP} port 50${(Math.abs(hash(event.user)) % 900) + 100} ssh2`,
      };
    case 'logon':
      return {
        kind: 'auth',
        message: `Accepted password for ${event.user} from ${event.sourceIp ?? DEFAULT_SOURCE_IP} port 51022 ssh2`,
      };
    case 'file_write':
    case 'file_create': {
      const name = event.path.split(/[\\/]/).pop() || 'note.txt';
      return { kind: 'file', name, encrypted: (event.entropy ?? 0) >= 7.5 };
    }
    default:
      return null;
  }
}

/** The demo's steps, from the simulator's scenarios (deterministic for a seed). */
export function demoSteps(seed = 11): DemoStep[] {
  const rng = new Rng(seed);
  const hospital = buildHospital(24, 1, rng);
  const steps: DemoStep[] = [];
  const add = (events: PortableEventInput[], startMs: number, gapMs: number, label: string, limit: number) => {
    let at = startMs;
    for (const event of events) {
      const action = actionFor(event);
      if (!action) continue;
      if (steps.filter((s) => s.label === label).length >= limit) break;
      steps.push({ atMs: at, action, label });
      at += gapMs;
    }
  };
  const nurse = hospital.staff.find((s) => s.role === 'nurse')!;
  steps.push({
    atMs: 2_000,
    action: { kind: 'auth', message: `Accepted password for ${nurse.user} from 10.0.4.21 port 51022 ssh2` },
    label: 'an ordinary logon',
  });
  for (let i = 0; i < 3; i++)
    steps.push({
      atMs: 3_000 + i * 1_500,
      action: { kind: 'file', name: `ward-round-${i + 1}.txt`, encrypted: false },
      label: 'ordinary notes',
    });
  add(SCENARIO_MAKERS.brute_force(hospital, SIMULATION_START, rng), 10_000, 400, 'a brute-force burst', 12);
  const ransomware = SCENARIO_MAKERS.ransomware(hospital, SIMULATION_START, rng).filter((e) => e.kind === 'file_write');
  add(ransomware, 20_000, 200, 'a ransomware-like burst', 30);
  return steps.sort((a, b) => a.atMs - b.atMs);
}

/** A syslog line as sshd writes it, in local time. */
export function syslogLine(hostname: string, message: string, at = new Date()): string {
  const month = at.toLocaleString('en-US', { month: 'short' });
  const time = [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${month} ${String(at.getDate()).padStart(2, ' ')} ${time} ${hostname} sshd[${4000 + (at.getTime() % 1000)}]: ${message}\n`;
}

export function perform(action: DemoAction, target: DemoTarget): void {
  if (action.kind === 'auth') appendFileSync(target.authLog, syslogLine(target.hostname, action.message));
  else
    writeFileSync(
      // The encrypted copy beside the document, as a locker writes it (the ransomware rule's pattern).
      join(target.phiFolder, action.encrypted ? `${action.name}.locked` : action.name),
      action.encrypted
        ? randomBytes(16_384)
        : `Observations stable; plan unchanged. ${new Date().toISOString()}\n`.repeat(20),
    );
}

/** Plays the steps; stops early when `signal` aborts. Resolves when done. */
export function runDemo(
  target: DemoTarget,
  options: { steps?: DemoStep[]; signal?: AbortSignal; speed?: number; onLabel?: (label: string) => void } = {},
): Promise<void> {
  const steps = options.steps ?? demoSteps();
  const speed = options.speed ?? 1;
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let left = steps.length;
    let lastLabel = '';
    const stop = () => {
      for (const timer of timers) clearTimeout(timer);
      resolve();
    };
    if (options.signal?.aborted || left === 0) return stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    for (const step of steps) {
      timers.push(
        setTimeout(() => {
          if (step.label !== lastLabel) options.onLabel?.((lastLabel = step.label));
          try {
            perform(step.action, target);
          } catch {
            // A demo folder removed under us is not worth stopping WardWatch for.
          }
          if (--left === 0) stop();
        }, step.atMs / speed),
      );
    }
  });
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}
