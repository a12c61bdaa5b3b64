// The CLI as a process (its main.ts run by tsx): `open-sealed` with the IT staff code on
// standard input, against a real local API (open-sealed-agent.fixture.ts).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCommandKey, maintenanceCode } from '../response/response-test-kit.fixture';
import { runningAgent, stopAll } from './open-sealed-agent.fixture';

afterEach(stopAll);

describe('wardwatch-agent open-sealed (real process)', { timeout: 30_000 }, () => {
  it('the CLI as a process: code on stdin, prints where the copy is, exit 0; a bad code exits 1', async () => {
    const agent = await runningAgent();
    const config = join(agent.dir, 'agent.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        manager: { address: '127.0.0.1:1', caFingerprint: `sha256:${'0'.repeat(64)}` },
        dataDir: agent.dir,
      }),
    );
    const run = (code: string) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            join(__dirname, 'main.ts'),
            'open-sealed',
            agent.sealed,
            '--reason',
            'ward round',
            '--config',
            config,
          ],
          { stdio: ['pipe', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (status) => resolve({ status, stdout, stderr }));
        child.stdin.end(`${code}\n`);
      });
    const refused = await run(maintenanceCode(makeCommandKey()));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/wardwatch-agent: the agent refused: /);
    const ok = await run(maintenanceCode(agent.key));
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(`opened to ${join(agent.dir, 'opened', 'xray.txt')}\n`);
    expect(agent.asked).toEqual([expect.stringMatching(/^ward round \(code [\w-]+\)$/)]);
  });
});
