// One line of `eslogger open` as the macOS tests need it, in the shape the ES
// schema gives (agent README, Reads on macOS); `at` seconds after 09:00 UTC.
export interface OpenLine {
  at?: number;
  path?: string;
  fflag?: number;
  mode?: number;
  auid?: number;
  pid?: number;
  exe?: string;
  signingId?: string | null;
  platform?: boolean;
  truncated?: boolean;
}

export function esloggerOpen(o: OpenLine = {}): string {
  return JSON.stringify({
    schema_version: 1,
    version: 7,
    time: `2026-12-06T09:00:${String(o.at ?? 1).padStart(2, '0')}.123456789Z`,
    event_type: 10,
    action_type: 1,
    seq_num: 1,
    global_seq_num: 1,
    process: {
      audit_token: {
        asid: 100_001,
        pidversion: 7,
        ruid: 501,
        euid: 501,
        rgid: 20,
        auid: o.auid ?? 501,
        egid: 20,
        pid: o.pid ?? 812,
      },
      executable: { path: o.exe ?? '/System/Applications/Preview.app/Contents/MacOS/Preview', path_truncated: false },
      ppid: 1,
      signing_id: o.signingId === undefined ? 'com.apple.Preview' : o.signingId,
      team_id: null,
      is_platform_binary: o.platform ?? true,
    },
    event: {
      open: {
        fflag: o.fflag ?? 1,
        file: {
          path: o.path ?? '/Users/Shared/PHI/icu/3/chart1.pdf',
          path_truncated: o.truncated ?? false,
          stat: { st_mode: o.mode ?? 0o100644, st_uid: 501, st_size: 1234 },
        },
      },
    },
  });
}
