// Runs the OS's own disk-encryption report (lsblk, manage-bde, fdesetup) through the
// one command runner and hands its output to the pure parser of that OS.
import type { CommandRunner } from '../../response/actions/command-runner';
import { type DiskEncryptionStatus, unknownStatus } from './disk-encryption-status';
import { FDESETUP_ARGS, parseFdesetup } from './fdesetup';
import { LSBLK_ARGS, parseLsblk } from './lsblk';
import { MANAGE_BDE_ARGS, parseManageBde } from './manage-bde';

const byPlatform: Partial<
  Record<NodeJS.Platform, { command: string; args: readonly string[]; parse: (out: string) => DiskEncryptionStatus }>
> = {
  linux: { command: 'lsblk', args: LSBLK_ARGS, parse: parseLsblk },
  win32: { command: 'manage-bde', args: MANAGE_BDE_ARGS, parse: parseManageBde },
  darwin: { command: 'fdesetup', args: FDESETUP_ARGS, parse: parseFdesetup },
};

export class DiskEncryptionProbe {
  constructor(
    private readonly runner: CommandRunner,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  async check(): Promise<DiskEncryptionStatus> {
    const how = byPlatform[this.platform];
    if (!how) return unknownStatus(`no disk-encryption check on ${this.platform}`);
    const result = await this.runner.run(how.command, how.args, { timeoutMs: 10_000 });
    if (result.code !== 0)
      return unknownStatus(
        `${how.command} failed: ${result.startError ?? (result.stderr.trim() || `exit ${result.code}`)}`,
      );
    return how.parse(result.stdout);
  }
}
