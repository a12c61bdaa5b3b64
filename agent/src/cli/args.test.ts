import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';

describe('parseArgs', () => {
  it('reads run and enroll with --config in either form', () => {
    expect(parseArgs(['run', '--config', 'a.yaml'])).toEqual({ kind: 'run', configPath: 'a.yaml' });
    expect(parseArgs(['enroll', '--config=b.yaml'])).toEqual({ kind: 'enroll', configPath: 'b.yaml' });
  });

  it('shows help when asked or given nothing', () => {
    expect(parseArgs([])).toEqual({ kind: 'help' });
    expect(parseArgs(['run', '--help'])).toEqual({ kind: 'help' });
  });

  it('names what is wrong', () => {
    expect(parseArgs(['start'])).toEqual({ kind: 'error', message: 'unknown command "start"' });
    expect(parseArgs(['run'])).toEqual({ kind: 'error', message: '--config <file> is required' });
    expect(parseArgs(['run', '--config', 'a', '--verbose'])).toEqual({
      kind: 'error',
      message: 'unknown argument "--verbose"',
    });
  });
});
