import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shannonEntropy } from '../../agent/src/collectors/files/entropy';
import { demoSteps, runDemo } from './demo-driver';

function target() {
  const root = mkdtempSync(join(tmpdir(), 'ww-demo-'));
  const authLog = join(root, 'auth.log');
  writeFileSync(authLog, '');
  return { phiFolder: root, authLog, hostname: 'demo-ws' };
}

describe('the npm start demo driver', () => {
  it('acts out the simulator scenarios as sshd lines and real files, benign first', async () => {
    const steps = demoSteps();
    expect([...new Set(steps.map((s) => s.label))]).toEqual([
      'an ordinary logon',
      'ordinary notes',
      'a brute-force burst',
      'a ransomware-like burst',
    ]);
    expect(steps.at(-1)!.atMs).toBeLessThan(30_000);
    const t = target();
    const labels: string[] = [];
    await runDemo(t, { steps, speed: 50, onLabel: (l) => labels.push(l) });
    expect(labels).toHaveLength(4);
    const lines = readFileSync(t.authLog, 'utf8').trim().split('\n');
    const failed = lines.filter((l) =>
      / demo-ws sshd\[\d+\]: Failed password for \S+ from 10\.66\.6\.6 port \d+ ssh2$/.test(l),
    );
    expect(failed).toHaveLength(12);
    expect(new Set(failed.map((l) => /for (\S+) from/.exec(l)![1])).size).toBe(1);
    expect(lines[0]).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d demo-ws sshd\[\d+\]: Accepted password for /);
    const files = readdirSync(t.phiFolder).filter((f) => f !== 'auth.log');
    const encrypted = files.filter((f) => shannonEntropy(readFileSync(join(t.phiFolder, f))) > 7.5);
    expect(encrypted.length).toBe(30);
    expect(
      files
        .filter((f) => f.startsWith('ward-round-'))
        .every((f) => shannonEntropy(readFileSync(join(t.phiFolder, f))) < 6),
    ).toBe(true);
  });

  it('stops at once when aborted (Ctrl-C)', async () => {
    const t = target();
    const controller = new AbortController();
    const done = runDemo(t, { signal: controller.signal });
    controller.abort();
    await done;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(readFileSync(t.authLog, 'utf8')).toBe('');
  });
});
