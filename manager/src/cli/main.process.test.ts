// The built entry point as a real process: exit codes, the ready line, the one-time
// admin password, the token command and a clean stop. Needs `npx tsc -b` first.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = resolve(__dirname, '..', '..', 'dist', 'main.js');
const run = promisify(execFile);

function startServe(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  const ready = new Promise<Record<string, unknown>>((resolveReady, reject) => {
    const timer = setInterval(() => {
      const line = lines.find((l) => l.includes('"msg":"manager ready"'));
      if (line) {
        clearInterval(timer);
        resolveReady(JSON.parse(line) as Record<string, unknown>);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`exited ${code}:\n${lines.join('\n')}`));
    });
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, lines, ready, exited };
}

describe('manager process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ww-manager-proc-'));
  const env = {
    WARDWATCH_DATA_DIR: dataDir,
    WARDWATCH_HTTP_PORT: '0',
    WARDWATCH_GRPC_PORT: '0',
    WARDWATCH_GRPC_HOST: '127.0.0.1',
    WARDWATCH_ADMIN_PASSWORD: '',
  };

  beforeAll(() => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npx tsc -b\` first`);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits 2 with a clear message on bad configuration', async () => {
    const error = await run(process.execPath, [entry], {
      env: { ...process.env, ...env, WARDWATCH_HTTP_PORT: 'eighty' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect(error.stderr).toContain('WARDWATCH_HTTP_PORT');
  });

  it('starts, shows a generated admin password once, hands out tokens for its real port, and stops with 0', async () => {
    const first = startServe(env);
    const ready = await first.ready;
    expect(ready).toMatchObject({
      level: 'info',
      msg: 'manager ready',
    });
    expect(ready.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.caFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const shown = first.lines.filter((l) => l.includes('Admin password (shown once): '));
    expect(shown).toHaveLength(1);
    const password = /shown once\): (\S+)/.exec(shown[0])![1];
    expect(first.lines.filter((l) => l.includes(password))).toHaveLength(1);

    const { stdout } = await run(process.execPath, [entry, 'enrollment-token', 'create', '--ttl-minutes', '5'], {
      env: { ...process.env, ...env },
    });
    const line = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({
      caFingerprint: ready.caFingerprint,
      grpcPort: ready.grpcPort,
    });
    expect(line.token).toMatch(/^wwet_/);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = startServe(env);
    await second.ready;
    expect(second.lines.some((l) => l.includes('Admin password'))).toBe(false);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('keeps its data folder owner-only (0700) and its database and secrets 0600, tightening looser modes', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'ww-manager-modes-')), 'data');
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    const modeOf = (path: string) => statSync(path).mode & 0o777;
    const secrets = [
      'wardwatch.sqlite',
      'wardwatch.sqlite-wal',
      'wardwatch.sqlite-shm',
      'pki/ca.key.pem',
      'pki/server.key.pem',
      'pki/pseudonym.key',
    ];
    const expectPrivate = () => {
      expect(modeOf(folder)).toBe(0o700);
      expect(modeOf(join(folder, 'pki'))).toBe(0o700);
      for (const file of secrets) expect([file, modeOf(join(folder, file))]).toEqual([file, 0o600]);
      // Nothing else is readable by others either, but the (public) certificates behind the 0700 folder.
      for (const name of readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter(
        (n) => !n.endsWith('.cert.pem'),
      ))
        expect([name, modeOf(join(folder, name)) & 0o077]).toEqual([name, 0]);
    };
    try {
      const first = startServe({ ...env, WARDWATCH_DATA_DIR: folder });
      await first.ready;
      expectPrivate();
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      // An older install: everything readable by all.
      chmodSync(folder, 0o755);
      chmodSync(join(folder, 'pki'), 0o755);
      for (const file of secrets) if (existsSync(join(folder, file))) chmodSync(join(folder, file), 0o644);
      const second = startServe({ ...env, WARDWATCH_DATA_DIR: folder });
      await second.ready;
      expectPrivate();
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      rmSync(join(folder, '..'), { recursive: true, force: true });
    }
  }, 60_000);
});
