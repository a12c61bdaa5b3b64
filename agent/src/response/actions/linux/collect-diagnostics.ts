// A bounded snapshot for an investigation: how many processes, the top ones by CPU time
// and by memory (name, pid, uid — no command lines, which can hold patient data), open
// sessions (logind, else `who`), removable and read-only mounts, and the agent's uptime.
// The JSON stays under MAX_DIAGNOSTICS_BYTES: lists are cut until it fits.
import { refuseSessionId } from '../account-guard';
import { planned } from '../outcome';
import type { ActionOptions, ActionOutcome } from '../response-actions';
import type { LinuxDeps } from './linux-deps';
import { parseLoginctlSessions } from './lock-screen';
import { readMountTable } from './mount-table';
import { passwdUid } from './passwd';
import { isRemovableBySysfs } from './removable-sysfs';

export const MAX_DIAGNOSTICS_BYTES = 64 * 1024;
const TOP = 15;
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
  const byCpu = [...procs]
    .sort((a, b) => b.cpuTicks - a.cpuTicks)
    .slice(0, TOP)
    .map(row);
  const byRss = [...procs]
    .sort((a, b) => b.rssPages - a.rssPages)
    .slice(0, TOP)
    .map(row);
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
  const snapshot = {
    takenAtMs: deps.clock.nowMs(),
    agentUptimeSeconds: Math.round((deps.clock.nowMs() - deps.agentStartedAtMs) / 1000),
    processCount: procs.length,
    topByCpu: byCpu,
    topByRss: byRss,
    sessions: sessions.rows,
    sessionSource: sessions.source,
    mounts,
  };
  const { value, truncated } = bound(snapshot);
  return {
    ok: true,
    message: `diagnostics: ${procs.length} processes, ${sessions.rows.length} sessions, ${mounts.length} mounts`,
    details: { diagnostics: value, truncated },
  };
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

type Snapshot = Record<string, unknown> & {
  sessions: unknown[];
  mounts: unknown[];
  topByCpu: unknown[];
  topByRss: unknown[];
};

/** Halves the longest list until the JSON fits. */
function bound(snapshot: Snapshot): { value: Snapshot; truncated: boolean } {
  let value = snapshot;
  let truncated = false;
  for (let i = 0; i < 40 && Buffer.byteLength(JSON.stringify(value)) > MAX_DIAGNOSTICS_BYTES; i++) {
    truncated = true;
    const key = (['sessions', 'mounts', 'topByCpu', 'topByRss'] as const).reduce((a, b) =>
      value[a].length >= value[b].length ? a : b,
    );
    value = { ...value, [key]: value[key].slice(0, Math.floor(value[key].length / 2)) };
  }
  return { value, truncated };
}
