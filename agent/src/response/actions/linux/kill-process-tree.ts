// Stops processes and all their descendants, from /proc:
//  1. each target is read again; one whose start time differs from the ProcessRef's is a
//     reused pid (the process named has already ended) and is refused, as are pid 1, the
//     agent and the agent's ancestors;
//  2. the tree is walked (ppid, stat field 4) and every member SIGSTOPped, then walked
//     again until no new member appears: a stopped process cannot fork, and its children
//     stay its children (a parent killed first would hand them to init and out of the tree);
//  3. SIGKILL to all, then a bounded wait until each is gone (or a zombie).
import { planned, refused } from '../outcome';
import { descendantsOf } from '../process-tree';
import type { ActionOptions, ActionOutcome, ProcessRef } from '../response-actions';
import { waitUntil } from './end-processes';
import type { LinuxDeps } from './linux-deps';
import { hasEnded, type ProcEntry, protectedPids } from './proc-reader';

const MAX_WALKS = 20;
const GONE_WAIT_MS = 2_000;
const MAX_TARGETS = 64;

export async function killProcessTree(
  deps: LinuxDeps,
  targets: ProcessRef[],
  options: ActionOptions,
): Promise<ActionOutcome> {
  if (targets.length === 0) return refused('no process named');
  if (targets.length > MAX_TARGETS) return refused(`more than ${MAX_TARGETS} processes named`);
  const guard = protectedPids(deps.proc);
  const roots: number[] = [];
  const refusedPids: { pid: number; reason: string }[] = [];
  for (const ref of targets) {
    const entry = Number.isInteger(ref.pid) && ref.pid > 0 ? deps.proc.read(ref.pid, true) : undefined;
    const reason = !entry
      ? 'not running'
      : guard.has(ref.pid)
        ? 'protected (pid 1, the agent or its ancestor)'
        : ref.startTime !== 0 && entry.startTicks !== ref.startTime
          ? 'pid reused by another process (start time differs)'
          : entry.state === 'Z'
            ? 'already ended'
            : undefined;
    if (reason) refusedPids.push({ pid: ref.pid, reason });
    else roots.push(ref.pid);
  }
  if (roots.length === 0)
    return refused(`nothing killed: ${refusedPids.map((r) => r.reason).join('; ')}`, { refusedPids });

  const walk = (): Map<number, ProcEntry> => {
    const all = deps.proc.all(true);
    const tree = descendantsOf(roots, all);
    return new Map(all.filter((e) => tree.has(e.pid) && !guard.has(e.pid)).map((e) => [e.pid, e]));
  };
  if (options.dryRun) {
    const tree = [...walk().keys()];
    return planned(
      `would kill ${tree.length} processes`,
      [
        `SIGSTOP ${tree.join(' ')} (and children appearing meanwhile)`,
        `SIGKILL each, wait up to ${GONE_WAIT_MS} ms until gone`,
      ],
      { pids: tree, refusedPids },
    );
  }

  const members = new Map<number, number>();
  for (let i = 0; i < MAX_WALKS; i++) {
    let added = 0;
    for (const [pid, entry] of walk()) {
      if (members.has(pid) || entry.state === 'Z') continue;
      members.set(pid, entry.startTicks);
      deps.signals.send(pid, 'SIGSTOP');
      added += 1;
    }
    if (added === 0) break;
  }
  for (const [pid, ticks] of members) if (!hasEnded(deps.proc, pid, ticks)) deps.signals.send(pid, 'SIGKILL');
  const alive = (): number[] => [...members].filter(([pid, ticks]) => !hasEnded(deps.proc, pid, ticks)).map(([p]) => p);
  await waitUntil(deps.clock, GONE_WAIT_MS, () => alive().length === 0);
  const remaining = alive();
  const killed = [...members.keys()].filter((pid) => !remaining.includes(pid));
  const details = { killed, remaining, refusedPids };
  if (remaining.length > 0) return { ok: false, message: `${remaining.length} processes survived SIGKILL`, details };
  // A target that ended by itself is no failure; a reused or protected pid is.
  const blocking = refusedPids.filter((r) => r.reason !== 'not running' && r.reason !== 'already ended');
  return {
    ok: blocking.length === 0,
    message: `${killed.length} processes killed${refusedPids.length ? `; ${refusedPids.length} refused` : ''}`,
    details,
  };
}
