import { describe, expect, it } from 'vitest';
import {
  agentConfigYaml,
  defaultAddress,
  hostIsCertified,
  installCommand,
  installProblem,
  type InstallInput,
} from './install-commands';

const input: InstallInput = {
  address: 'manager.hospital.local:50051',
  caFingerprint: `sha256:${'ab'.repeat(32)}`,
  token: 'wwet_Q2hhbmdlIG1lIGZvciBhIHJlYWwgdG9rZW4',
};

describe('install commands', () => {
  it('writes the config as a quoted here-document and runs the agent on it (Linux, macOS)', () => {
    const linux = installCommand('linux', input).split('\n');
    expect(linux).toContain(`sudo sh -c 'umask 077 && cat > "/etc/wardwatch/agent.yaml"' <<'WARDWATCH_CONFIG'`);
    expect(linux).toContain('  address: "manager.hospital.local:50051"');
    expect(linux).toContain(`  token: "${input.token}"`);
    expect(linux).toContain('dataDir: "/var/lib/wardwatch"');
    expect(linux.at(-1)).toBe('sudo node agent/dist/cli/main.js run --config "/etc/wardwatch/agent.yaml"');
    // The here-document ends on its own line, after the config and before the run.
    expect(linux.indexOf('WARDWATCH_CONFIG')).toBe(linux.length - 2);
    const mac = installCommand('macos', input);
    expect(mac).toContain('--config "/Library/Application Support/WardWatch/agent.yaml"');
    expect(mac).toContain('dataDir: "data"');
  });

  it('writes the config without a byte-order mark and locks the folder (Windows)', () => {
    const windows = installCommand('windows', input).split('\n');
    expect(windows).toContain("[IO.File]::WriteAllText((Join-Path $dir 'agent.yaml'), @'");
    expect(windows).toContain("'@)");
    expect(windows.join('\n')).toContain('/inheritance:r');
    expect(windows.at(-1)).toBe('node agent\\dist\\cli\\main.js run --config (Join-Path $dir "agent.yaml")');
  });

  it('refuses an address or token that could end the here-document or run a command', () => {
    for (const address of ['a:1\nWARDWATCH_CONFIG\nrm -rf /', "x';id;':1", 'host', 'host:70000', "'@)\n:1"]) {
      expect(installProblem({ ...input, address })).toBeDefined();
      expect(() => installCommand('linux', { ...input, address })).toThrow();
    }
    expect(installProblem({ ...input, token: 'wwet_abc"\ninjected: 1' })).toBeDefined();
    expect(installProblem({ ...input, caFingerprint: 'sha256:zz' })).toBeDefined();
    expect(installProblem({ ...input, address: '[fd00::5]:50051' })).toBeUndefined();
  });

  it('quotes every value as a YAML double-quoted scalar', () => {
    expect(agentConfigYaml({ ...input, address: '[::1]:50051' }, 'data')).toContain('address: "[::1]:50051"');
  });

  it('offers the browser host with the gRPC port, and says whether the certificate names it', () => {
    expect(defaultAddress('ward.example', 50051)).toBe('ward.example:50051');
    expect(defaultAddress('::1', 7)).toBe('[::1]:7');
    expect(hostIsCertified('127.0.0.1:5', ['localhost', '127.0.0.1'])).toBe(true);
    expect(hostIsCertified('[::1]:5', ['::1'])).toBe(true);
    expect(hostIsCertified('Other.Example:5', ['other.example'])).toBe(true);
    expect(hostIsCertified('evil:5', ['localhost'])).toBe(false);
  });
});
