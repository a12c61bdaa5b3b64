import { describe, expect, it } from 'vitest';
import { parsePasswd } from '../user-names';
import { isKernelThread, parseBootTimeSeconds, parseCmdline, parseProcStat } from './proc-stat';

const stat = (comm: string, flags = 4194560) =>
  `4321 (${comm}) S 1200 4321 4321 34816 4321 ${flags} 120 0 0 0 1 0 0 0 20 0 1 0 987654 8364032 210 18446744073709551615 1 1 0 0 0 0 0 0 65536 0 0 0 17 1 0 0 0 0 0`;

describe('/proc parsing', () => {
  it('reads ppid, flags and start ticks even when comm has spaces and parentheses', () => {
    expect(parseProcStat(stat('my (odd) prog'))).toEqual({
      pid: 4321,
      comm: 'my (odd) prog',
      state: 'S',
      ppid: 1200,
      flags: 4194560,
      startTicks: 987654,
    });
    expect(parseProcStat('4321 (trunc')).toBeUndefined();
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('recognises kernel threads by PF_KTHREAD', () => {
    expect(isKernelThread(parseProcStat(stat('kworker/0:1', 0x00208040))!)).toBe(true);
    expect(isKernelThread(parseProcStat(stat('bash'))!)).toBe(false);
  });

  it('splits cmdline on NULs and reads btime and passwd', () => {
    expect(parseCmdline(Buffer.from('sleep\u000030\u0000'))).toEqual(['sleep', '30']);
    expect(parseCmdline(Buffer.from('nginx: worker process'))).toEqual(['nginx: worker process']);
    expect(parseCmdline(Buffer.alloc(0))).toEqual([]);
    expect(parseBootTimeSeconds('cpu 1 2 3\nbtime 1795300000\nprocesses 9\n')).toBe(1795300000);
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\n# c\nalice:x:1001:1001::/home/alice:/bin/sh\n')).toEqual(
      new Map([
        [0, 'root'],
        [1001, 'alice'],
      ]),
    );
  });
});
