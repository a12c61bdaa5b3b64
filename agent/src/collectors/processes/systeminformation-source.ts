// The process table on systems without /proc (Windows, macOS), through
// systeminformation. Much costlier per call than /proc (it shells out to
// ps / PowerShell), so the collector polls it less often there.
import { systemInformation, type Systeminformation } from '../systeminformation';
import type { ProcessInfo, ProcessSource } from './process-source';

export type ProcessesProvider = () => Promise<{ list: Systeminformation.ProcessesProcessData[] }>;

function joinPath(dir: string, name: string): string {
  if (!dir) return '';
  if (dir.endsWith(name)) return dir;
  const sep = dir.includes('\\') ? '\\' : '/';
  return `${dir.replace(/[\\/]$/, '')}${sep}${name}`;
}

export class SystemInformationSource implements ProcessSource {
  readonly name = 'systeminformation';

  constructor(private readonly provider: ProcessesProvider = async () => (await systemInformation()).processes()) {}

  async snapshot(): Promise<ProcessInfo[]> {
    const { list } = await this.provider();
    return list
      .filter((p) => p.pid > 0)
      .map((p) => {
        const executable = joinPath(p.path, p.command);
        const started = Date.parse(p.started.replace(' ', 'T'));
        return {
          pid: p.pid,
          ppid: p.parentPid,
          startTimeMs: Number.isFinite(started) ? started : 0,
          user: p.user,
          executable,
          argv: [executable || p.name, ...(p.params ? p.params.split(' ').filter(Boolean) : [])],
        };
      });
  }
}
