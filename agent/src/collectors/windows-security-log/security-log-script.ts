// The PowerShell the live Windows readers run (logins, reads). It prints one compact
// JSON object per Security-log event of the given ids (NDJSON), from the newest
// when it starts, in the shape windowsSecurityEventSchema declares:
//   {"id":4624,"time":"2026-11-22T09:11:12.1234567Z","recordId":81234,
//    "computer":"WS-ICU-07","data":{"TargetUserName":"alice","LogonType":"2",…}}
// `data` holds every named EventData field of the event as a string, which is
// why the script renders the event XML rather than using the positional
// `Properties` array of `Get-WinEvent`.

/** Seconds between two Security-log queries. */
export const WINDOWS_POLL_SECONDS = 2;

export function securityLogScript(ids: readonly number[]): string {
  if (ids.length === 0 || !ids.every((id) => Number.isInteger(id) && id > 0))
    throw new Error('event ids: whole numbers');
  return `
$ErrorActionPreference = 'Stop'
$ids = @(${ids.join(',')})
$idFilter = ($ids | ForEach-Object { "EventID=$_" }) -join ' or '
$last = 0
try { $last = (Get-WinEvent -LogName Security -MaxEvents 1).RecordId } catch { $last = 0 }
while ($true) {
  $xpath = "*[System[($idFilter) and EventRecordID > $last]]"
  $events = @()
  try {
    $events = @(Get-WinEvent -LogName Security -FilterXPath $xpath | Sort-Object RecordId)
  } catch {
    if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') { [Console]::Error.WriteLine($_.Exception.Message) }
  }
  foreach ($e in $events) {
    $data = [ordered]@{}
    foreach ($d in ([xml]$e.ToXml()).Event.EventData.Data) { $data[[string]$d.Name] = [string]$d.'#text' }
    $out = [ordered]@{ id = $e.Id; time = $e.TimeCreated.ToUniversalTime().ToString('o'); recordId = $e.RecordId; computer = $e.MachineName; data = $data }
    [Console]::Out.WriteLine(($out | ConvertTo-Json -Compress -Depth 3))
    $last = $e.RecordId
  }
  [Console]::Out.Flush()
  Start-Sleep -Seconds ${WINDOWS_POLL_SECONDS}
}
`;
}

/** `powershell.exe -EncodedCommand` takes base64 of UTF-16LE. */
export function encodePowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

/** The arguments that run `script` in Windows PowerShell without a profile or a prompt. */
export function powerShellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encodePowerShell(script)];
}
