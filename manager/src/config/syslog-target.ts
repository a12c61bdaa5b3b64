// Where the audit trail's signed checkpoints also go (WARDWATCH_AUDIT_SYSLOG): parsed
// here with the rest of the configuration; audit/audit-syslog.ts sends to it.

export type SyslogTarget =
  { kind: 'off' } | { kind: 'udp'; host: string; port: number } | { kind: 'unix'; path: string };

/** Parses `udp://host:port`, `unix:/absolute/path` or `off`; undefined for anything else. */
export function parseSyslogTarget(text: string): SyslogTarget | undefined {
  if (text === 'off') return { kind: 'off' };
  if (text.startsWith('unix:')) {
    const path = text.slice('unix:'.length);
    return path.startsWith('/') ? { kind: 'unix', path } : undefined;
  }
  const udp = /^udp:\/\/([^:/\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(text);
  if (!udp) return undefined;
  const port = Number(udp[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { kind: 'udp', host: udp[1].replace(/^\[|\]$/g, ''), port };
}
