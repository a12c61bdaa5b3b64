// Ending a set of processes the way a logout does: SIGTERM so programs can save and
// exit, a bounded grace, then SIGSTOP + SIGKILL for what is left, rounds until the
// selection is empty (a process may fork while it is asked to stop). Every signal is
// sent only after the pid is read again with the same start time, so a pid reused by
// another process in the meantime is never hit.
import type { LinuxDeps } from './linux-deps';
import { hasEnded, isEnded, type ProcEntry, protectedPids } from './proc-reader';

export interface EndResult {
  /** Ended after SIGTERM, within the grace. */
  terminated: number[];
  /** Needed SIGKILL. */
  killed: number[];
  /** Still there at the end (denied, or a D-state process the kernel has not let go of). */
  remaining: number[];
}

/** Each poll reads one small file per pid, so it can be frequent. */
const POLL_MS = 20;
const KILL_ROUNDS = 5;
const KILL_WAIT_MS = 1_000;

export async function endProcesses(
  deps: Pick<LinuxDeps, 'proc' | 'signals' | 'clock'>,
  select: () => ProcEntry[],
  graceMs: number,
): Promise<EndResult> {
  const { proc, signals, clock } = deps;
  const guard = protectedPids(proc);
  const pick = (): Map<number, number> =>
    new Map(
      select()
        .filter((e) => !guard.has(e.pid) && !isEnded(e))
        .map((e) => [e.pid, e.startTicks]),
    );
  const signal = (pid: number, ticks: number, sig: NodeJS.Signals): void => {
    if (!hasEnded(proc, pid, ticks)) signals.send(pid, sig);
  };
  const alive = (set: Map<number, number>): number[] =>
    [...set].filter(([pid, ticks]) => !hasEnded(proc, pid, ticks)).map(([pid]) => pid);

  const first = pick();
  for (const [pid, ticks] of first) signal(pid, ticks, 'SIGTERM');
  await waitUntil(clock, graceMs, () => alive(first).length === 0);
  const left = new Set(alive(first));
  const terminated = [...first.keys()].filter((pid) => !left.has(pid));

  const killed = new Set<number>();
  let last = new Map<number, number>();
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const now = pick();
    if (now.size === 0) break;
    // Stop them all first: a stopped process cannot fork a replacement while its siblings die.
    for (const [pid, ticks] of now) signal(pid, ticks, 'SIGSTOP');
    for (const [pid, ticks] of now) {
      signal(pid, ticks, 'SIGKILL');
      killed.add(pid);
    }
    await waitUntil(clock, KILL_WAIT_MS, () => alive(now).length === 0);
    last = now;
  }
  return { terminated, killed: [...killed], remaining: [...new Set([...alive(last), ...pick().keys()])] };
}

/** Polls `done` until it holds or `maxMs` has passed; true when it held. */
export async function waitUntil(clock: LinuxDeps['clock'], maxMs: number, done: () => boolean): Promise<boolean> {
  const until = clock.nowMs() + maxMs;
  for (;;) {
    if (done()) return true;
    if (clock.nowMs() >= until) return false;
    await clock.sleep(POLL_MS);
  }
}
