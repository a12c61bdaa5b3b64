// The idle lock. On Linux a logind drop-in (`IdleAction=lock`, `IdleActionSec=`) in a
// configurable folder (/etc/systemd/logind.conf.d by default; tests use a temporary one),
// written whole through a rename; the file that was there before (or its absence) is
// kept in memory to be put back on undo. logind reads it when it is reloaded (`reload`).
// Windows (InactivityTimeoutSecs) and macOS (screen-saver password) are not enforced in
// this build and say so.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TierSettings } from '@wardwatch/shared/agent';
import { type AppliedStep, NOTHING_TO_UNDO, type PolicyStep } from './policy-step';

export const IDLE_LOCK_DROP_IN = '60-wardwatch-idle-lock.conf';
export const DEFAULT_LOGIND_DROP_IN_DIR = '/etc/systemd/logind.conf.d';

export interface IdleLockOptions {
  platform: NodeJS.Platform;
  dropInDir: string;
  /** Asks logind to read its configuration again; resolves to a problem, or null. */
  reload?: () => Promise<string | null>;
}

export function idleLockDropIn(seconds: number): string {
  return `# Written by WardWatch from its protection policy; changed by the next policy.\n[Login]\nIdleAction=lock\nIdleActionSec=${seconds}s\n`;
}

export class IdleLockStep implements PolicyStep {
  readonly name = 'idle_lock' as const;

  constructor(private readonly options: IdleLockOptions) {}

  async apply(next: TierSettings): Promise<AppliedStep> {
    if (this.options.platform !== 'linux')
      return {
        outcome: {
          state: 'not_enforced',
          detail: `idle lock is not enforced on ${this.options.platform} in this build`,
        },
        undo: NOTHING_TO_UNDO,
      };
    const path = join(this.options.dropInDir, IDLE_LOCK_DROP_IN);
    const before = existsSync(path) ? readFileSync(path, 'utf8') : null;
    const wanted = next.idleLockSeconds > 0 ? idleLockDropIn(next.idleLockSeconds) : null;
    this.write(path, wanted);
    const problem = before === wanted ? null : await this.reload();
    const undo = async () => {
      this.write(path, before);
      await this.reload();
    };
    const detail =
      wanted === null
        ? 'no idle lock in this policy; drop-in removed'
        : `logind locks after ${next.idleLockSeconds} s idle${problem ? ` (reload: ${problem})` : ''}`;
    return { outcome: { state: wanted === null ? 'not_applicable' : 'applied', detail }, undo };
  }

  private write(path: string, content: string | null): void {
    if (content === null) {
      rmSync(path, { force: true });
      return;
    }
    mkdirSync(this.options.dropInDir, { recursive: true, mode: 0o755 });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, content, { mode: 0o644 });
    renameSync(temp, path);
  }

  private async reload(): Promise<string | null> {
    return this.options.reload ? this.options.reload() : null;
  }
}
