// The commands that install an agent with a new enrollment token, one per OS. They write
// the agent's YAML config (manager address, the CA fingerprint it pins, the token; the
// agent's own defaults for the rest; readable by the administrator only) and start
// `wardwatch-agent run --config <file>` from a WardWatch checkout built with `npm install`
// (agent/README.md): it enrolls with the token, then streams. Every value goes into the
// YAML as a JSON string (a valid YAML double-quoted scalar), inside a quoted here-document
// that the shell does not expand; and values are checked first, so nothing typed in the
// address field can end the here-document or run as a command.

export type InstallOs = 'linux' | 'windows' | 'macos';

export const installOsNames: Record<InstallOs, string> = {
  linux: 'Linux',
  windows: 'Windows (PowerShell as Administrator)',
  macos: 'macOS',
};

export interface InstallInput {
  /** host:port of the manager's gRPC port, as the workstation reaches it. */
  address: string;
  caFingerprint: string;
  token: string;
}

// The agent's own rule for manager.address (agent/src/config/config.schema.ts).
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;
const TOKEN = /^wwet_[A-Za-z0-9_-]{16,128}$/;

/** Why the input cannot make a command, or undefined when it can. */
export function installProblem(input: InstallInput): string | undefined {
  const address = HOST_PORT.exec(input.address);
  if (!address) return 'The address must be host:port, e.g. manager.hospital.local:50051.';
  const port = Number(address[2]);
  if (port < 1 || port > 65_535) return 'The port must be 1–65535.';
  if (!FINGERPRINT.test(input.caFingerprint)) return 'The manager did not give a CA fingerprint the agent accepts.';
  if (!TOKEN.test(input.token)) return 'That is not an enrollment token.';
  return undefined;
}

/** The agent's config file: only what enrollment needs; dataDir as given. */
export function agentConfigYaml(input: InstallInput, dataDir: string): string {
  return [
    'manager:',
    `  address: ${JSON.stringify(input.address)}`,
    `  caFingerprint: ${JSON.stringify(input.caFingerprint)}`,
    'enrollment:',
    `  token: ${JSON.stringify(input.token)}`,
    `dataDir: ${JSON.stringify(dataDir)}`,
  ].join('\n');
}

const LINUX_DIR = '/etc/wardwatch';
const MACOS_DIR = '/Library/Application Support/WardWatch';

/** The command for one OS; throws when installProblem() has an objection. */
export function installCommand(os: InstallOs, input: InstallInput): string {
  const problem = installProblem(input);
  if (problem) throw new Error(problem);
  if (os === 'windows') return windowsCommand(input);
  // Linux keeps its data in /var/lib; macOS beside the config ("data" is relative to the file).
  const dir = os === 'linux' ? LINUX_DIR : MACOS_DIR;
  const dataDir = os === 'linux' ? '/var/lib/wardwatch' : 'data';
  const file = `"${dir}/agent.yaml"`;
  return [
    '# In the WardWatch folder (after npm install):',
    `sudo install -d -m 700 "${dir}"${os === 'linux' ? ' /var/lib/wardwatch' : ''}`,
    `sudo sh -c 'umask 077 && cat > ${file}' <<'WARDWATCH_CONFIG'`,
    agentConfigYaml(input, dataDir),
    'WARDWATCH_CONFIG',
    `sudo node agent/dist/cli/main.js run --config ${file}`,
  ].join('\n');
}

function windowsCommand(input: InstallInput): string {
  return [
    '# In the WardWatch folder (after npm install), PowerShell as Administrator:',
    '$dir = Join-Path $env:ProgramData "WardWatch"',
    'New-Item -ItemType Directory -Force -Path $dir | Out-Null',
    // SYSTEM and Administrators only: the token is a secret until it is used.
    'icacls $dir /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" | Out-Null',
    // WriteAllText writes UTF-8 without a byte-order mark.
    "[IO.File]::WriteAllText((Join-Path $dir 'agent.yaml'), @'",
    agentConfigYaml(input, 'data'),
    "'@)",
    'node agent\\dist\\cli\\main.js run --config (Join-Path $dir "agent.yaml")',
  ].join('\n');
}

/** The address the page offers first: the host the browser reached the manager by, and the gRPC port. */
export function defaultAddress(browserHost: string, grpcPort: number): string {
  const host = browserHost.includes(':') && !browserHost.startsWith('[') ? `[${browserHost}]` : browserHost;
  return `${host}:${grpcPort}`;
}

/** True when the address's host is one the manager's server certificate is made for. */
export function hostIsCertified(address: string, serverNames: readonly string[]): boolean {
  const match = HOST_PORT.exec(address);
  if (!match) return false;
  const host = match[1].replace(/^\[|\]$/g, '').toLowerCase();
  return serverNames.some((name) => name.toLowerCase() === host);
}
