import { describe, expect, it } from 'vitest';
import { notifySendArgv, runCommand, SystemWarningNotifier, type RunCommand } from './warning-notifier';

describe('SystemWarningNotifier', () => {
  it('sends the message to wall on stdin and, for a known account, notify-send as that user', async () => {
    const calls: { argv: string[]; input?: string }[] = [];
    const run: RunCommand = (argv, input) => (calls.push({ argv, input }), Promise.resolve({ code: 0 }));
    await new SystemWarningNotifier(run).warn('Save your work: locked in 30 s', { name: 'nurse1', uid: 1001 });
    expect(calls[0]).toEqual({ argv: ['wall'], input: 'Save your work: locked in 30 s\n' });
    expect(calls[1]?.argv).toEqual(notifySendArgv('Save your work: locked in 30 s', { name: 'nurse1', uid: 1001 }));
    expect(calls[1]?.argv.slice(0, 4)).toEqual(['runuser', '-u', 'nurse1', '--']);
    expect(calls[1]?.argv).toContain('DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1001/bus');
  });

  it('reports a failing fallback and carries on', async () => {
    const failures: string[] = [];
    const run: RunCommand = () => Promise.resolve({ code: 1, error: 'no' });
    await new SystemWarningNotifier(run, (what) => failures.push(what)).warn('m', { name: 'n', uid: 1000 });
    expect(failures).toEqual(['wall', 'notify-send']);
  });

  it('the real wall takes the message on stdin and exits 0', async () => {
    // Writes only to terminals that accept messages; CI has none, this machine's may.
    const result = await runCommand(['wall'], 'WardWatch test: please ignore\n');
    expect(result).toEqual({ code: 0 });
    expect((await runCommand(['false'])).code).toBe(1);
    expect((await runCommand(['/nonexistent/binary'])).code).not.toBe(0);
  });
});
