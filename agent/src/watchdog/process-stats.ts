// The agent's own CPU and memory use, for heartbeats (and, later, the watchdog).
export interface ProcessSample {
  cpuPercent: number;
  rssBytes: number;
}

export class ProcessStats {
  private lastCpu = process.cpuUsage();
  private lastAt = process.hrtime.bigint();

  /** CPU use since the previous sample, in percent of one core. */
  sample(): ProcessSample {
    const now = process.hrtime.bigint();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedUs = Number(now - this.lastAt) / 1_000;
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const cpuPercent = elapsedUs > 0 ? ((cpu.user + cpu.system) / elapsedUs) * 100 : 0;
    return { cpuPercent: Math.round(cpuPercent * 100) / 100, rssBytes: process.memoryUsage.rss() };
  }
}
