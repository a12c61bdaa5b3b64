// `open-sealed` against a real local API (open-sealed-agent.fixture.ts): the command reads
// the port and token from the data folder as the tray does and posts the code and reason.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCommandKey, maintenanceCode } from '../response/response-test-kit.fixture';
import { openSealedCommand, readCode } from './open-sealed-command';
import { runningAgent, stopAll, tempDir } from './open-sealed-agent.fixture';

afterEach(stopAll);

describe('open-sealed through the running agent', { timeout: 30_000 }, () => {
  it('opens with the IT staff code and the reason; a bad code, a replayed code and a file outside are refused', async () => {
    const agent = await runningAgent();
    const code = maintenanceCode(agent.key);
    await expect(
      openSealedCommand(agent.dir, {
        path: agent.sealed,
        reason: 'GP needs the x-ray',
        code: maintenanceCode(makeCommandKey()),
      }),
    ).rejects.toThrow(/^the agent refused: /);
    expect(agent.asked).toEqual([]);

    const opened = await openSealedCommand(agent.dir, { path: agent.sealed, reason: 'GP needs the x-ray', code });
    expect(opened).toEqual({ out: join(agent.dir, 'opened', 'xray.txt'), policyVersion: 4 });
    expect(readFileSync(opened.out, 'utf8')).toBe('x-ray of bed 7');
    expect(agent.asked).toHaveLength(1);
    expect(agent.asked[0]).toMatch(/^GP needs the x-ray \(code [\w-]+\)$/);

    await expect(openSealedCommand(agent.dir, { path: agent.sealed, reason: 'again', code })).rejects.toThrow(
      /the agent refused/,
    );
    const outside = join(agent.dir, 'elsewhere.txt.wwsealed');
    writeFileSync(outside, 'not in a policy folder');
    await expect(
      openSealedCommand(agent.dir, { path: outside, reason: 'curious', code: maintenanceCode(agent.key) }),
    ).rejects.toThrow(/the agent refused/);
    expect(agent.asked).toHaveLength(1);
  });

  it('refuses before asking when the reason or code is out of bounds, and says when the agent is not running', async () => {
    const agent = await runningAgent();
    await expect(openSealedCommand(agent.dir, { path: agent.sealed, reason: 'x', code: 'short' })).rejects.toThrow(
      /^open-sealed: reason: .*; code: /,
    );
    const empty = tempDir();
    await expect(
      openSealedCommand(empty, { path: agent.sealed, reason: 'GP needs it', code: maintenanceCode(agent.key) }),
    ).rejects.toThrow(/the agent is not running \(.*local-api\.json does not exist\)/);
    expect(agent.asked).toEqual([]);
  });

  it('reads the code from the first line of standard input, bounded', async () => {
    await expect(readCode(Readable.from(['  abc', 'def\nrest\n']))).resolves.toBe('abcdef');
    await expect(readCode(Readable.from(['x'.repeat(5_000)]))).rejects.toThrow('too long');
  });
});
