// The reader on real child processes: node scripts where an OS command would run.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ComponentHealthRegistry } from '../status/component-health';
import { CommandLineReader, type LineError } from './command-line-reader';
import { NodeProcessSpawner, type ProcessSpawner } from './process-spawner';

/** Runs the i-th script on the i-th start (the last one again after that). */
class ScriptSpawner implements ProcessSpawner {
  readonly platform = process.platform;
  starts = 0;
  constructor(private readonly scripts: string[]) {}
  commandExists(): boolean {
    return true;
  }
  spawn() {
    const script = this.scripts[Math.min(this.starts, this.scripts.length - 1)];
    this.starts += 1;
    return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

const EXITS =
  "process.stderr.write('Not permitted: Full Disk Access is required\\n'); setTimeout(() => process.exit(3), 50);";
const PRINTS = "process.stdout.write('one\\n'); setInterval(() => {}, 1000);";
const QUIET = 'setInterval(() => {}, 1000);';

const readers: CommandLineReader<string>[] = [];
afterEach(() => {
  for (const r of readers.splice(0)) r.stop();
});

function reader(spawner: ProcessSpawner, command = 'eslogger', healthyAfterMs?: number) {
  const health = new ComponentHealthRegistry(() => 1_000);
  const lines: (string | LineError)[] = [];
  const r = new CommandLineReader<string>(
    { name: 'test reads', command, args: ['open'], parse: (line) => line },
    spawner,
    { result: (l) => lines.push(l), health: { reporter: health, component: 'collector.reads', healthyAfterMs } },
  );
  readers.push(r);
  r.start();
  return { health, lines };
}

const until = async (what: string, ok: () => boolean, ms = 8_000) => {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const state = (health: ComponentHealthRegistry) => health.list().find((c) => c.name === 'collector.reads');

describe('CommandLineReader health', () => {
  it('says failed with the exit and the last complaint while the command dies, running once a run gives a line', async () => {
    const spawner = new ScriptSpawner([EXITS, PRINTS]);
    const { health, lines } = reader(spawner);
    await until('failed', () => state(health)?.state === 'failed');
    expect(state(health)?.message).toBe(
      'eslogger exited (code 3, signal none): Not permitted: Full Disk Access is required; restarting',
    );
    await until('a line from the second run', () => lines.length > 0);
    expect(state(health)?.state).toBe('running');
    expect(spawner.starts).toBe(2);
  }, 15_000);

  it('says failed when the command is not there, and keeps trying (no exit comes, only an error)', async () => {
    let starts = 0;
    const spawner = new (class extends NodeProcessSpawner {
      override spawn(command: string, args: readonly string[]) {
        starts += 1;
        return super.spawn(command, args);
      }
    })();
    const { health } = reader(spawner, 'no-such-command-wardwatch');
    await until('failed', () => state(health)?.state === 'failed');
    await until('a second try', () => starts === 2);
    expect(state(health)?.message).toMatch(
      /^no-such-command-wardwatch failed: spawn no-such-command-wardwatch ENOENT; restarting$/,
    );
  }, 15_000);

  it('says running again when a restarted command stays up, lines or not', async () => {
    const spawner = new ScriptSpawner([EXITS, QUIET]);
    const { health } = reader(spawner, 'powershell.exe', 300);
    await until('failed', () => state(health)?.state === 'failed');
    await until('running after staying up', () => state(health)?.state === 'running');
    expect(spawner.starts).toBe(2);
  }, 15_000);

  it('says nothing while the command runs as it should', async () => {
    const { health, lines } = reader(new ScriptSpawner([PRINTS]));
    await until('a line', () => lines.length > 0);
    expect(health.list()).toEqual([]);
  });
});
