// collectDiagnostics where there is no /proc (Windows, macOS): the same bounded snapshot
// as Linux's (diagnostics-snapshot.ts) from systeminformation, which asks the OS
// (PowerShell / WMI, ps, df, diskutil). Sessions keep their terminal and start, not the
// account name or the remote address; CPU is the current load (percent), not time
// used. A part the OS does not answer is left empty and named in `unavailable`: a
// snapshot for an investigation is still worth having without it.
import { systemInformation, type Systeminformation } from '../../../collectors/systeminformation';
import type { Clock } from '../clock';
import { diagnosticsOutcome, topBy } from '../diagnostics-snapshot';
import { planned } from '../outcome';
import type { ActionOptions, ActionOutcome } from '../response-actions';

/** What the snapshot reads, injectable so it is tested without the OS. */
export interface DiagnosticsSource {
  processes: () => Promise<Systeminformation.ProcessesProcessData[]>;
  users: () => Promise<Systeminformation.UserData[]>;
  fileSystems: () => Promise<Systeminformation.FsSizeData[]>;
  blockDevices: () => Promise<Systeminformation.BlockDevicesData[]>;
}

export const systemDiagnostics: DiagnosticsSource = {
  processes: async () => (await (await systemInformation()).processes()).list,
  users: async () => (await systemInformation()).users(),
  fileSystems: async () => (await systemInformation()).fsSize(),
  blockDevices: async () => (await systemInformation()).blockDevices(),
};

export interface PortableDiagnosticsDeps {
  source: DiagnosticsSource;
  clock: Clock;
  agentStartedAtMs: number;
}

/** ttys000, console, rdp-tcp#3, pts/1: anything else (control characters, a long string) is left out. */
const SESSION_NAME = /^[\w#./:-]{1,32}$/;

export async function collectPortableDiagnostics(
  deps: PortableDiagnosticsDeps,
  options: ActionOptions,
): Promise<ActionOutcome> {
  if (options.dryRun)
    return planned('would read processes, sessions and file systems', [
      'systeminformation processes()',
      'systeminformation users()',
      'systeminformation fsSize() and blockDevices()',
    ]);
  const unavailable: string[] = [];
  const read = async <T>(part: string, get: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await get();
    } catch {
      unavailable.push(part);
      return [];
    }
  };
  const [processes, users, fileSystems, devices] = await Promise.all([
    read('processes', deps.source.processes),
    read('sessions', deps.source.users),
    read('file systems', deps.source.fileSystems),
    read('block devices', deps.source.blockDevices),
  ]);
  const procs = processes.filter((p) => p.pid > 0);
  const row = (p: Systeminformation.ProcessesProcessData) => ({
    pid: p.pid,
    name: String(p.name).slice(0, 32),
    cpuPercent: Math.round(finite(p.cpu) * 10) / 10,
    rssMb: Math.round((finite(p.memRss) / 1024) * 10) / 10, // memRss is in KB
  });
  const removable = new Set(devices.filter((d) => d.removable && d.mount).map((d) => d.mount));
  return diagnosticsOutcome({
    takenAtMs: deps.clock.nowMs(),
    agentUptimeSeconds: Math.round((deps.clock.nowMs() - deps.agentStartedAtMs) / 1000),
    processCount: procs.length,
    topByCpu: topBy(procs, (p) => finite(p.cpu), row),
    topByRss: topBy(procs, (p) => finite(p.memRss), row),
    sessions: users
      .filter((u) => SESSION_NAME.test(u.tty))
      .map((u) => ({ id: u.tty, uid: null, tty: u.tty, since: `${u.date} ${u.time}`.trim().slice(0, 32) })),
    sessionSource: 'systeminformation',
    mounts: fileSystems.map((f) => ({
      mountPoint: String(f.mount).slice(0, 256),
      fsType: String(f.type).slice(0, 32),
      readOnly: f.rw === false,
      removable: removable.has(f.mount),
    })),
    unavailable,
  });
}

/** systeminformation gives NaN or null where the OS did not say. */
function finite(n: number | null | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}
