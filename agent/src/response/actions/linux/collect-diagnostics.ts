// A bounded snapshot for an investigation: how many processes, the top ones by CPU time
// and by memory (name, pid, uid — no command lines, which can hold patient data), open
// sessions (logind, else `who`), removable and read-only mounts, and the agent's uptime.
// The JSON stays under MAX_DIAGNOSTICS_BYTES (diagnostics-snapshot.ts).
import { refuseSessionId } from '../account-guard';
import { diagnosticsOutcome, topBy } from '../diagnostics-snapshot';
import { planned } from '../outcome';
import type { ActionOptions, ActionOutcome } from '../response-actions';
import type { LinuxDeps } from './linux-deps';
import { parseLoginctlSessions } from './lock-screen';
import { readMountTable } from './mount-table';
import { passwdUid } from './passwd';
import { isRemovableBySysfs } from './removable-sysfs';

const PAGE_BYTES = 4096;
const CLOCK_TICKS_PER_SECOND = 100;

interface SessionRow {
  id: string;
  uid: number | null;
  tty: string;
  since?: string;
}

export async function collectDiagnostics(deps: LinuxDeps, options: ActionOptions): Promise<ActionOutcome> {
  if (options.dryRun)
    return planned('would read /proc, sessions and mounts', [
      'read /proc/*/stat and status',
      ['loginctl', 'list-sessions', '--no-legend'],
      ['who'],
      `read ${deps.mountinfoPath}`,
    ]);
  const procs = deps.proc.all().filter((e) => e.state !== 'Z');
  const row = (e: (typeof procs)[number]) => ({
    pid: e.pid,
    name: e.comm.slice(0, 32),
    uid: e.uids?.[0] ?? null,
    cpuSeconds: Math.round(e.cpuTicks / CLOCK_TICKS_PER_SECOND),
    rssMb: Math.round((e.rssPages * PAGE_BYTES) / 1e5) / 10,
  });
  const sessions = await listSessions(deps);
  const isRemovable = deps.isRemovableMount ?? ((m) => isRemovableBySysfs(deps.sysRoot, m));
  const mounts = readMountTable(deps.mountinfoPath)
    .filter((m) => !m.dev.startsWith('0:') || m.fsType === 'nfs' || m.fsType === 'nfs4' || m.fsType === 'cifs')
    .map((m) => ({
      mountPoint: m.mountPoint.slice(0, 256),
      fsType: m.fsType.slice(0, 32),
      readOnly: m.readOnly,
      removable: isRemovable(m),
    }));
  return diagnosticsOutcome({
    takenAtMs: deps.clock.nowMs(),
    agentUptimeSeconds: Math.round((deps.clock.nowMs() - deps.agentStartedAtMs) / 1000),
    processCount: procs.length,
    topByCpu: topBy(procs, (e) => e.cpuTicks, row),
    topByRss: topBy(procs, (e) => e.rssPages, row),
    sessions: sessions.rows,
    sessionSource: sessions.source,
    mounts,
  });
}

async function listSessions(deps: LinuxDeps): Promise<{ rows: SessionRow[]; source: string }> {
  const logind = await deps.runner.run('loginctl', ['list-sessions', '--no-legend']);
  if (logind.code === 0)
    return {
      rows: parseLoginctlSessions(logind.stdout).map((s) => ({ id: s.id, uid: s.uid, tty: s.rest })),
      source: 'logind',
    };
  const who = await deps.runner.run('who', []);
  if (who.code !== 0) return { rows: [], source: 'none' };
  return { rows: parseWho(who.stdout, (name) => passwdUid(deps.passwdPath, name) ?? null), source: 'utmp' };
}

/** `who`: `NAME LINE YYYY-MM-DD HH:MM (FROM)`; names become uids, the remote address is left out. */
export function parseWho(text: string, uidOf: (name: string) => number | null): SessionRow[] {
  const out: SessionRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d)/.exec(line);
    if (!m || refuseSessionId(m[2].replace(/\//g, '_'))) continue;
    out.push({ id: m[2], uid: uidOf(m[1]), tty: m[2], since: m[3] });
  }
  return out;
}
