// Locking where logind is absent or refuses. Only one method is used, because it either
// locks or fails with a non-zero exit: LightDM's `dm-tool lock` (the display manager
// switches the seat to its greeter; dm-tool finds the seat through XDG_SEAT_PATH, which
// the agent, outside any seat, sets to LightDM's first seat). It locks the seat, whoever
// is signed in there, so it is used only when every session is to be locked; a command
// for one account or one session gets "no lock method" instead of locking someone else.
// Left out on purpose: `xdg-screensaver lock` (returns 0 without locking on many desktops),
// `xdotool` (types keys; locks nothing), a screensaver's own command (needs the user's
// DISPLAY and X authority: not the agent's to borrow). No undo: the greeter asks the user's
// password, which is the point of a lock.
import { describeFailure } from '../command-runner';
import type { ActionOutcome } from '../response-actions';
import type { LinuxDeps } from './linux-deps';

export const LIGHTDM_SEAT = '/org/freedesktop/DisplayManager/Seat0';

/** The argv of the fallback lock: env(1) sets the seat for dm-tool; no shell. */
export function dmToolLockArgv(seatPath = LIGHTDM_SEAT): [string, string[]] {
  return ['env', [`XDG_SEAT_PATH=${seatPath}`, 'dm-tool', 'lock']];
}

/**
 * After logind failed (`logindFailure` says how): the display manager's lock when every
 * session is to be locked, else an outcome that names why nothing was locked.
 */
export async function lockWithoutLogind(
  deps: Pick<LinuxDeps, 'runner'>,
  scope: 'all' | 'one',
  logindFailure: string,
  dryRun: boolean,
): Promise<ActionOutcome> {
  if (scope === 'one')
    return noLockMethod(logindFailure, 'dm-tool would lock the whole seat, not only the account or session named');
  const [command, args] = dmToolLockArgv();
  if (dryRun)
    return {
      ok: true,
      message: 'would lock the seat through the display manager (dm-tool lock): logind absent',
      details: { method: 'dm-tool', plan: [[command, ...args]] },
    };
  const result = await deps.runner.run(command, args);
  // env(1) exits 127 when the program is not found (126: found, not runnable).
  const why = result.code === 127 ? 'not installed' : describeFailure(result);
  if (result.code !== 0) return noLockMethod(logindFailure, `dm-tool: ${why}`);
  return {
    ok: true,
    message: `seat locked through the display manager (dm-tool lock): logind absent (${logindFailure})`,
    details: { method: 'dm-tool', logind: logindFailure },
  };
}

function noLockMethod(logindFailure: string, fallback: string): ActionOutcome {
  return {
    ok: false,
    message: `no lock method here: logind ${logindFailure}; ${fallback}`,
    details: { method: 'none', logind: logindFailure, fallback },
  };
}
