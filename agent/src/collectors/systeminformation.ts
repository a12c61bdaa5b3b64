// systeminformation is the fallback source where the agent has no native one
// (Windows, macOS; Linux reads /proc, /sys and utmp itself). It is loaded on first
// use, so a Linux agent never carries its ~2 MB of code in memory.
import type * as Si from 'systeminformation';

export type { Systeminformation } from 'systeminformation';

let loading: Promise<typeof Si> | undefined;

export function systemInformation(): Promise<typeof Si> {
  loading ??= import('systeminformation');
  return loading;
}
