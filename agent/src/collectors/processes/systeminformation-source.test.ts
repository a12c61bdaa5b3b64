import { describe, expect, it } from 'vitest';
import { SystemInformationSource } from './systeminformation-source';

describe('SystemInformationSource', () => {
  it('maps systeminformation process rows', async () => {
    const source = new SystemInformationSource(() =>
      Promise.resolve({
        list: [
          {
            pid: 0,
            parentPid: 0,
            name: 'System Idle Process',
            command: '',
            params: '',
            path: '',
            user: '',
            started: '',
          },
          {
            pid: 812,
            parentPid: 4,
            name: 'mysql.exe',
            command: 'mysql.exe',
            params: '-uroot -pX emr',
            path: 'C:\\Program Files\\MySQL\\bin',
            user: 'WARD\\alice',
            started: '2026-11-22 08:00:01',
          },
        ].map((p) => ({
          ...p,
          cpu: 0,
          cpuu: 0,
          cpus: 0,
          mem: 0,
          priority: 0,
          memVsz: 0,
          memRss: 0,
          nice: 0,
          state: 'running',
          tty: '',
        })),
      }),
    );
    expect(await source.snapshot()).toEqual([
      {
        pid: 812,
        ppid: 4,
        startTimeMs: new Date(2026, 10, 22, 8, 0, 1).getTime(),
        user: 'WARD\\alice',
        executable: 'C:\\Program Files\\MySQL\\bin\\mysql.exe',
        argv: ['C:\\Program Files\\MySQL\\bin\\mysql.exe', '-uroot', '-pX', 'emr'],
      },
    ]);
  });

  it('lists this process through the real systeminformation', async () => {
    const self = (await new SystemInformationSource().snapshot()).find((p) => p.pid === process.pid);
    expect(self?.ppid).toBe(process.ppid);
  });
});
