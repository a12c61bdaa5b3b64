// In a fresh node process: allocation with survivors grows V8's young generation
// to tens of MB unless young-generation.ts was loaded first.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const moduleTs = join(__dirname, 'young-generation.ts');

function newSpaceAfterChurn(preload: boolean): number {
  const script = `
    ${preload ? `require(${JSON.stringify(moduleTs)});` : ''}
    const v8 = require('node:v8');
    let kept = [];
    for (let i = 0; i < 3e6; i++) { kept.push({ i, text: 'event ' + i }); if (kept.length > 50000) kept = []; }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(space.physical_space_size);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout.trim());
}

describe('young generation', { timeout: 60_000 }, () => {
  it('stays at its initial size under allocation with survivors once the module is loaded', () => {
    expect(newSpaceAfterChurn(false)).toBeGreaterThan(8 * 1_048_576);
    expect(newSpaceAfterChurn(true)).toBeLessThanOrEqual(4 * 1_048_576);
  });
});
