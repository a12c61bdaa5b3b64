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

  it('reads seal and unseal with their path, output and reason', () => {
    expect(parseArgs(['seal', 'scan.pdf', '--config', 'a.yaml'])).toEqual({
      kind: 'seal',
      configPath: 'a.yaml',
      path: 'scan.pdf',
    });
    expect(
      parseArgs(['unseal', 'scan.pdf.wwsealed', '--out', 'scan.pdf', '--reason', 'GP letter', '--config=a.yaml']),
    ).toEqual({
      kind: 'unseal',
      configPath: 'a.yaml',
      path: 'scan.pdf.wwsealed',
      out: 'scan.pdf',
      reason: 'GP letter',
    });
    expect(parseArgs(['unseal', 'x', '--out', 'y', '--config', 'a'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/--reason/) as string,
    });
    expect(parseArgs(['unseal', 'x', '--reason', 'because', '--config', 'a'])).toMatchObject({ kind: 'error' });
    expect(parseArgs(['seal', '--config', 'a'])).toMatchObject({ kind: 'error' });
    expect(parseArgs(['seal', 'a', 'b', '--config', 'a'])).toMatchObject({ kind: 'error' });
    expect(parseArgs(['run', 'extra', '--config', 'a'])).toMatchObject({ kind: 'error' });
  });

  it('reads open-sealed with its path and reason, and no --out', () => {
    expect(parseArgs(['open-sealed', '/srv/Scans/x.pdf.wwsealed', '--reason', 'GP letter', '--config', 'a'])).toEqual({
      kind: 'open-sealed',
      configPath: 'a',
      path: '/srv/Scans/x.pdf.wwsealed',
      reason: 'GP letter',
    });
    expect(parseArgs(['open-sealed', 'x', '--config', 'a'])).toEqual({
      kind: 'error',
      message: 'open-sealed needs --reason "..." (3 to 500 characters)',
    });
    expect(parseArgs(['open-sealed', 'x', '--out', 'y', '--reason', 'why not', '--config', 'a'])).toMatchObject({
      kind: 'error',
    });
  });
});
