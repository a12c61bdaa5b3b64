import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentError } from '../errors/agent-error';
import { DEFAULT_AUTH_LOG, loadConfig } from './load-config';

const fingerprint = `sha256:${'ab'.repeat(32)}`;
const good = `
manager:
  address: 127.0.0.1:50051
  caFingerprint: ${fingerprint}
enrollment:
  token: wwet_abc
dataDir: ./data
watch:
  folders:
    - { path: /srv/records, class: phi }
    - { path: scans, class: other }
logins:
  authLog: /var/log/secure
localApi:
  port: 0
heartbeatSeconds: 5
`;

function sut(text: string, exists: (p: string) => boolean = () => false) {
  const dir = mkdtempSync(join(tmpdir(), 'ww-config-'));
  const path = join(dir, 'agent.yaml');
  writeFileSync(path, text);
  return { dir, path, load: () => loadConfig(path, { exists }) };
}

function errorOf(load: () => unknown): AgentError {
  try {
    load();
  } catch (error) {
    if (error instanceof AgentError) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('loadConfig', () => {
  it('reads a complete file, resolving relative paths against the file', () => {
    const { dir, load } = sut(good);
    const config = load();
    expect(config.manager).toEqual({ address: '127.0.0.1:50051', caFingerprint: fingerprint });
    expect(config.enrollment.token).toBe('wwet_abc');
    expect(config.dataDir).toBe(join(dir, 'data'));
    expect(config.watch.folders).toEqual([
      { path: '/srv/records', class: 'phi' },
      { path: join(dir, 'scans'), class: 'other' },
    ]);
    expect(config.watch.syncFolders).toEqual({ enabled: true, profileRoots: undefined, discoverSeconds: 60 });
    expect(config.watch.saveFolders).toEqual({
      enabled: true,
      names: ['Desktop', 'Documents', 'Downloads', 'tmp'],
      depth: 2,
      profileTop: true,
    });
    expect(config.watch.scratchFolders).toEqual({ enabled: true, paths: undefined, depth: 1 });
    expect(config.logins.authLog).toBe('/var/log/secure');
    expect(config.localApi.port).toBe(0);
    expect(config.heartbeatSeconds).toBe(5);
  });

  it('reads where profiles live for their synced folders, relative to the file, and refuses a busy poll', () => {
    const withRoots = good.replace(
      'logins:',
      'watch:\n  folders: []\n  syncFolders: { profileRoots: [/home, terminal-users], discoverSeconds: 300 }\nlogins:',
    );
    const { dir, load } = sut(withRoots.replace(/watch:\n {2}folders:\n( {4}- .*\n)+/, ''));
    expect(load().watch.syncFolders).toEqual({
      enabled: true,
      profileRoots: ['/home', join(dir, 'terminal-users')],
      discoverSeconds: 300,
    });
    const busy = sut(
      withRoots
        .replace('discoverSeconds: 300', 'discoverSeconds: 1')
        .replace(/watch:\n {2}folders:\n( {4}- .*\n)+/, ''),
    );
    expect(errorOf(busy.load).message).toMatch(/watch\.syncFolders\.discoverSeconds/);
  });

  it("reads a profile's save folders by name, and refuses a path in their place", () => {
    const drop = (text: string) => text.replace(/watch:\n {2}folders:\n( {4}- .*\n)+/, '');
    const saving = (names: string) =>
      good.replace('logins:', `watch:\n  folders: []\n  saveFolders: { names: ${names}, depth: 0 }\nlogins:`);
    expect(sut(drop(saving('[Bureau, Téléchargements]'))).load().watch.saveFolders).toEqual({
      enabled: true,
      names: ['Bureau', 'Téléchargements'],
      depth: 0,
      profileTop: true,
    });
    for (const names of ['[Desktop/charts]', '["..\\\\Public"]', '[]'])
      expect(errorOf(sut(drop(saving(names))).load).message).toMatch(/watch\.saveFolders\.names/);
    const scratch = (fields: string) =>
      good.replace('logins:', `watch:\n  folders: []\n  scratchFolders: ${fields}\nlogins:`);
    const { dir, load } = sut(drop(scratch('{ paths: [/tmp, stage], depth: 2 }')));
    expect(load().watch.scratchFolders).toEqual({ enabled: true, paths: ['/tmp', join(dir, 'stage')], depth: 2 });
    expect(errorOf(sut(drop(scratch('{ depth: 5 }'))).load).message).toMatch(/watch\.scratchFolders\.depth/);
  });

  it('applies defaults, taking /var/log/auth.log only when it exists', () => {
    const minimal = `manager: { address: "mgr.example.org:50051", caFingerprint: "${fingerprint.toUpperCase().replace('SHA256', 'sha256')}" }\ndataDir: /var/lib/wardwatch\n`;
    const withLog = sut(minimal, (p) => p === DEFAULT_AUTH_LOG).load();
    expect(withLog.logins.authLog).toBe(DEFAULT_AUTH_LOG);
    expect(withLog.localApi.port).toBe(47_800);
    expect(withLog.watch.folders).toEqual([]);
    expect(withLog.manager.caFingerprint).toBe(fingerprint);
    expect(sut(minimal).load().logins.authLog).toBeNull();
  });

  it('defaults the collector sections so that older files stay valid, and reads them when given', () => {
    const minimal = `manager: { address: "mgr.example.org:50051", caFingerprint: "${fingerprint}" }\ndataDir: /var/lib/wardwatch\n`;
    const defaults = sut(minimal).load();
    expect(defaults.logins).toEqual({ authLog: null, source: 'auto', sessions: { enabled: true, pollSeconds: 15 } });
    expect(defaults.processes).toEqual({ enabled: true });
    expect(defaults.devices).toEqual({ enabled: true, pollMs: 2_000, watchRemovable: true });
    expect(defaults.network).toEqual({
      enabled: true,
      pollMs: 2_000,
      dedupSeconds: 300,
      includeLoopback: false,
      udp: false,
    });
    const { dir, load } = sut(
      `${minimal}logins: { source: journald, sessions: { enabled: false } }\nprocesses: { pollMs: 500, auditLog: audit.log }\nnetwork: { udp: true }\n`,
    );
    const given = load();
    expect(given.logins).toMatchObject({ source: 'journald', sessions: { enabled: false, pollSeconds: 15 } });
    expect(given.processes).toEqual({ enabled: true, pollMs: 500, auditLog: join(dir, 'audit.log') });
    expect(given.network.udp).toBe(true);
    expect(sut(`${minimal}logins: { source: authlog }\n`).load().logins.authLog).toBe(DEFAULT_AUTH_LOG);
    expect(sut(`${minimal}processes: { auditLog: false }\n`).load().processes.auditLog).toBe(false);
  });

  it('defaults the response section (on, not a dry run, 5 automatic actions a minute) and reads it', () => {
    const minimal = `manager: { address: "mgr.example.org:50051", caFingerprint: "${fingerprint}" }\ndataDir: /var/lib/wardwatch\n`;
    expect(sut(minimal).load().response).toEqual({
      enabled: true,
      dryRun: false,
      maxAutomaticPerMinute: 5,
      passwdFile: '/etc/passwd',
      gate: {
        enabled: true,
        folderClasses: ['phi'],
        encryptedFiles: 3,
        answerTimeoutMs: 1_000,
        allowExecutables: [],
        maxDirectories: 5_000,
        userFiles: 6,
        userWindowSeconds: 10,
        userDenySeconds: 60,
        userDenyMaxSeconds: 600,
      },
    });
    const { dir, load } = sut(`${minimal}response: { dryRun: true, maxAutomaticPerMinute: 2, passwdFile: passwd }\n`);
    expect(load().response).toEqual({
      enabled: true,
      dryRun: true,
      maxAutomaticPerMinute: 2,
      passwdFile: join(dir, 'passwd'),
      gate: expect.objectContaining({ enabled: true }) as unknown,
    });
    const gate = sut(`${minimal}response: { gate: { encryptedFiles: 4, allowExecutables: [/usr/bin/rsync] } }\n`);
    expect(gate.load().response.gate).toMatchObject({ encryptedFiles: 4, allowExecutables: ['/usr/bin/rsync'] });
    expect(() => sut(`${minimal}response: { gate: { encryptedFiles: 10 } }\n`).load()).toThrow(/encryptedFiles/);
    const user = sut(`${minimal}response: { gate: { userFiles: 9, userWindowSeconds: 30, userDenySeconds: 120 } }\n`);
    expect(user.load().response.gate).toMatchObject({ userFiles: 9, userWindowSeconds: 30, userDenySeconds: 120 });
    for (const bad of ['userFiles: 10', 'userFiles: 1', 'userWindowSeconds: 0', 'userDenySeconds: 2'])
      expect(() => sut(`${minimal}response: { gate: { ${bad} } }\n`).load()).toThrow(bad.split(':')[0]);
    expect(() =>
      sut(`${minimal}response: { gate: { userDenySeconds: 300, userDenyMaxSeconds: 60 } }\n`).load(),
    ).toThrow(/userDenyMaxSeconds must be at least userDenySeconds/);
    for (const name of ['rsync', 'bin/rsync', '/usr/bin/../bin/rsync', '/usr/bin/'])
      expect(() => sut(`${minimal}response: { gate: { allowExecutables: ["${name}"] } }\n`).load()).toThrow(
        /allowExecutables.*absolute, normalised executable path.*bare name is refused/s,
      );
    expect(() => sut(`${minimal}response: { dryrun: true }\n`).load()).toThrow(/response: unknown field\(s\) dryrun/);
  });

  it('accepts a colon-separated fingerprint', () => {
    const colons = fingerprint.replace('sha256:', '').match(/../g)!.join(':').toUpperCase();
    const config = sut(good.replace(fingerprint, colons)).load();
    expect(config.manager.caFingerprint).toBe(fingerprint);
  });

  const bad: [string, string, RegExp][] = [
    ['a missing field', good.replace(/dataDir:.*\n/, ''), /dataDir: is required/],
    ['an address without port', good.replace('127.0.0.1:50051', '127.0.0.1'), /manager\.address: expected host:port/],
    ['a port out of range', good.replace('127.0.0.1:50051', 'host:70000'), /manager\.address: port must be/],
    ['a malformed fingerprint', good.replace(fingerprint, 'md5:1234'), /manager\.caFingerprint: expected sha256:/],
    ['an unknown folder class', good.replace('class: phi', 'class: secret'), /watch\.folders\.0\.class/],
    ['a typo in a key', good.replace('heartbeatSeconds', 'heartbeatSecs'), /unknown field\(s\) heartbeatSecs/],
    [
      'token and tokenFile together',
      good.replace('token: wwet_abc', 'token: a\n  tokenFile: /t'),
      /enrollment: give either token or tokenFile/,
    ],
    ['a wrong type', good.replace('port: 0', 'port: "eighty"'), /localApi\.port/],
    ['an unknown login source', good.replace('authLog: /var/log/secure', 'source: syslog'), /logins\.source/],
    ['broken YAML', 'manager: [unclosed', /not valid YAML/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what} with the file and field named (exit code 2)`, () => {
      const { path, load } = sut(text);
      const error = errorOf(load);
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain(path);
      expect(error.message).toMatch(message);
    });
  }

  it('refuses a file that cannot be read', () => {
    const error = errorOf(() => loadConfig('/nonexistent/agent.yaml'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/\/nonexistent\/agent\.yaml: cannot read the file \(ENOENT\)/);
  });
});
