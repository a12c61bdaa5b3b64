// Whether Windows audits reads in the patient-data folders (read-audit-check.ts
// says what a finding means). Two settings must both be in place, and the agent
// sets neither: the audit policy's Object Access → File System subcategory on for
// success, and on each folder an auditing entry (SACL) for successful ReadData that
// its files inherit. One PowerShell run reads both and prints one JSON object:
//   {"policy":1,"folders":[{"path":"D:\\PHI","rules":[{"rights":1,"flags":1,"inherit":3,"propagate":0}]},
//                          {"path":"E:\\Scans","error":"Cannot find path …"}]}
// `policy` is the subcategory's AuditingInformation (1 success, 2 failure; null
// when it cannot be queried), read with AuditQuerySystemPolicy so that no
// localised auditpol text is parsed. A Global Object Access Auditing (resource
// SACL) is not read: a site that audits reads only through it sees "not audited".
import { execFile } from 'node:child_process';
import { z } from 'zod';
import type { AuditFinding } from '../audit/periodic-audit-check';
import { powerShellArgs } from '../windows-security-log/security-log-script';
import { firstFolders, ReadAuditCheck, type ReadAuditCheckOptions } from './read-audit-check';

/** The Object Access → File System subcategory. */
export const FILE_SYSTEM_SUBCATEGORY = '0cce921d-69ae-11d9-bed3-505054503030';
const POLICY_SUCCESS = 0x1;
const AUDIT_SUCCESS = 0x1;
const OBJECT_INHERIT = 0x2;
const NO_PROPAGATE_INHERIT = 0x1;
/** ReadData (ListDirectory on a folder), GENERIC_ALL, GENERIC_READ. */
const READ_RIGHTS = [0x1, 0x10000000, 0x80000000];

const ruleSchema = z.object({
  rights: z.number().int(),
  flags: z.number().int(),
  inherit: z.number().int(),
  propagate: z.number().int(),
});

export const windowsReadAuditSchema = z.object({
  policy: z.number().int().nullable(),
  folders: z.array(z.object({ path: z.string(), rules: z.array(ruleSchema).optional(), error: z.string().optional() })),
});

export type WindowsReadAudit = z.infer<typeof windowsReadAuditSchema>;

/**
 * The PowerShell that prints the policy and the folders' auditing entries. The folders come as
 * base64 of their lines (no quoting to get wrong; Windows names hold no line breaks), not JSON:
 * Windows PowerShell 5's ConvertFrom-Json hands an array on as one object.
 */
export function windowsReadAuditScript(folders: readonly string[]): string {
  const encoded = Buffer.from(folders.join('\n'), 'utf8').toString('base64');
  return `
$ErrorActionPreference = 'Stop'
$folders = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${encoded}')) -split "\`n"
$policy = $null
try {
  Add-Type -Namespace WardWatch -Name AuditPolicy -MemberDefinition @'
[DllImport("advapi32.dll", SetLastError = true)]
[return: MarshalAs(UnmanagedType.U1)]
public static extern bool AuditQuerySystemPolicy(Guid[] subCategoryGuids, uint policyCount, out IntPtr policy);
[DllImport("advapi32.dll")]
public static extern void AuditFree(IntPtr buffer);
'@
  $buffer = [IntPtr]::Zero
  if ([WardWatch.AuditPolicy]::AuditQuerySystemPolicy(@([Guid]'${FILE_SYSTEM_SUBCATEGORY}'), 1, [ref]$buffer)) {
    $policy = [Runtime.InteropServices.Marshal]::ReadInt32($buffer, 16)
    [WardWatch.AuditPolicy]::AuditFree($buffer)
  }
} catch { $policy = $null }
$result = @(foreach ($path in $folders) {
  try {
    $acl = Get-Acl -LiteralPath $path -Audit
    $rules = @(foreach ($r in $acl.GetAuditRules($true, $true, [Security.Principal.SecurityIdentifier])) {
      [ordered]@{ rights = [int64][int]$r.FileSystemRights; flags = [int]$r.AuditFlags; inherit = [int]$r.InheritanceFlags; propagate = [int]$r.PropagationFlags }
    })
    [ordered]@{ path = [string]$path; rules = $rules }
  } catch {
    [ordered]@{ path = [string]$path; error = $_.Exception.Message }
  }
})
[Console]::Out.WriteLine((ConvertTo-Json -InputObject ([ordered]@{ policy = $policy; folders = $result }) -Compress -Depth 5))
`;
}

/** The script's output; undefined when it could not run (not Windows, not an administrator, timed out). */
export type WindowsReadAuditLister = () => Promise<string | undefined>;

export function powerShellReadAudit(folders: readonly string[]): WindowsReadAuditLister {
  const args = powerShellArgs(windowsReadAuditScript(folders));
  return () =>
    new Promise((resolve) => {
      execFile(
        'powershell.exe',
        args,
        { timeout: 60_000, maxBuffer: 1024 * 1024, windowsHide: true },
        (error, stdout) => resolve(error ? undefined : stdout),
      );
    });
}

/** An auditing entry that logs successful reads of the files below the folder. */
export function auditsReads(rule: z.infer<typeof ruleSchema>): boolean {
  const rights = rule.rights >>> 0;
  return (
    (rule.flags & AUDIT_SUCCESS) !== 0 &&
    READ_RIGHTS.some((bit) => (rights & bit) >>> 0 !== 0) &&
    (rule.inherit & OBJECT_INHERIT) !== 0 &&
    (rule.propagate & NO_PROPAGATE_INHERIT) === 0
  );
}

/** What the policy and the folders' SACLs (undefined: not read) say about the patient-data folders' reads. */
export function windowsReadAuditFinding(folders: readonly string[], output: string | undefined): AuditFinding {
  const audit = parse(output);
  if (!audit || audit.policy === null) return { level: 'info', text: UNKNOWN };
  if ((audit.policy & POLICY_SUCCESS) === 0) return { state: 'stopped', level: 'info', text: POLICY_OFF };
  const covered = new Set(audit.folders.filter((f) => f.rules?.some(auditsReads)).map((f) => f.path.toLowerCase()));
  const missing = folders.filter((folder) => !covered.has(folder.toLowerCase()));
  if (missing.length === 0) return { state: 'running', level: 'info', text: '' };
  if (missing.length === folders.length) return { state: 'stopped', level: 'info', text: NO_SACL };
  return { state: 'failed', level: 'warn', text: uncovered(missing) };
}

function parse(output: string | undefined): WindowsReadAudit | undefined {
  if (output === undefined) return undefined;
  try {
    const parsed = windowsReadAuditSchema.safeParse(JSON.parse(output));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface WindowsReadAuditCheckOptions extends Omit<ReadAuditCheckOptions, 'inspect' | 'removed'> {
  /** The patient-data folders. */
  folders: readonly string[];
  /** Runs the script; by default PowerShell. */
  list?: WindowsReadAuditLister;
}

export class WindowsReadAuditCheck extends ReadAuditCheck {
  constructor({ folders, list = powerShellReadAudit(folders), ...rest }: WindowsReadAuditCheckOptions) {
    super({ ...rest, removed: REMOVED, inspect: async () => windowsReadAuditFinding(folders, await list()) });
  }
}

const HELP = '(agent README, Reads on Windows)';
const REMOVED = `the audit policy or the auditing entries (SACLs) for reads on the patient-data folders were removed while the agent ran: reads are no longer seen`;
const UNKNOWN =
  'the audit policy and the folders’ auditing entries cannot be read (PowerShell, as an administrator): whether reads are audited is not known';
const POLICY_OFF = `reads are not audited here: the audit policy’s Object Access → File System subcategory is off for success ${HELP}`;
const NO_SACL = `reads are not audited here: no auditing entry (SACL) for successful reads on the patient-data folders ${HELP}`;

function uncovered(missing: readonly string[]): string {
  return `no auditing entry (SACL) for successful reads on ${firstFolders(missing)}: reads there are not seen ${HELP}`;
}
