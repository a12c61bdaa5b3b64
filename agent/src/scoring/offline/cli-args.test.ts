import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { joinNegativeValues, numberFlag, SETTING_FLAGS, settingOptions, settingsFromFlags } from './cli-args';
import { runCli } from './score-cli';

describe('scoring command-line settings', () => {
  it('lets a negative number follow a flag that takes a value, and leaves the rest alone', () => {
    const argv = ['--utc-offset-minutes', '-300', '--x', '-.5', '--no-model', '--input', 'f', '-v'];
    const joined = joinNegativeValues(argv, new Set(['utc-offset-minutes', 'x', 'input']));
    expect(joined).toEqual(['--utc-offset-minutes=-300', '--x=-.5', '--no-model', '--input', 'f', '-v']);
    const { values } = parseArgs({
      args: joined.slice(0, 2),
      options: { 'utc-offset-minutes': { type: 'string' }, x: { type: 'string' } },
    });
    expect(numberFlag(values, 'utc-offset-minutes', 0)).toBe(-300);
    expect(numberFlag(values, 'x', 0)).toBe(-0.5);
  });

  it('names the settings exactly as the config file does and parses them as numbers', () => {
    expect(SETTING_FLAGS).toEqual(expect.arrayContaining(['alertThreshold', 'minHistoryWindows', 'modelWeight']));
    expect(SETTING_FLAGS).not.toContain('ruleFloors');
    const { values } = parseArgs({ args: ['--alertThreshold', '55', '--modelWeight', '0'], options: settingOptions() });
    expect(settingsFromFlags(values)).toEqual({ alertThreshold: 55, modelWeight: 0 });
    expect(() => settingsFromFlags({ alertThreshold: 'high' })).toThrow('--alertThreshold: not a number: "high"');
    expect(() => numberFlag({ epochs: '' }, 'epochs', 25)).toThrow(/--epochs/);
  });

  it('gives wardwatch-score a --help, and refuses out-of-range settings and windows by name', async () => {
    const log: string[] = [];
    expect(await runCli(['--help'], (l) => log.push(l))).toBe(0);
    expect(log[0]).toMatch(/--window-minutes/);
    expect(log[0]).toMatch(/--alertThreshold <n>/);
    const base = ['--input', 'nowhere.ndjson', '--train-until', '2026-01-16T00:00:00Z'];
    await expect(runCli([...base, '--alertThreshold', '-5'], () => {})).rejects.toThrow(/alertThreshold/);
    await expect(runCli([...base, '--window-minutes', '0'], () => {})).rejects.toThrow(/--window-minutes/);
    await expect(runCli([...base, '--utc-offset-minutes', '-9999'], () => {})).rejects.toThrow(
      /--utc-offset-minutes: whole minutes within ±840, not -9999/,
    );
  });
});
