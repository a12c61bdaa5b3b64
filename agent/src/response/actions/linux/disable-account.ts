// Disables a local account for a while: `usermod -L` (a `!` before the password hash, so
// no password logon) and `--expiredate 1` (expired since 1970-01-02, which also stops
// key-based and PAM logons that never look at the password). What was there before — the
// expiry (shadow field 8) and whether the password was already locked — goes into the
// UndoRecord, and undo puts exactly that back. Sessions already open are not ended here
// (revokeSession does that).
import { refuseAccount } from '../account-guard';
import { describeFailure } from '../command-runner';
import { expiry, planned, refused, withoutName } from '../outcome';
import type { ActionOptions, ActionOutcome, LocalAccount, UndoRecord } from '../response-actions';
import type { LinuxDeps } from './linux-deps';
import { passwdUid, shadowEntry } from './passwd';

export async function disableAccount(
  deps: LinuxDeps,
  account: LocalAccount,
  durationSeconds: number,
  options: ActionOptions,
): Promise<ActionOutcome> {
  const why = refuseAccount(account, deps.policy);
  if (why) return refused(why);
  const uid = passwdUid(deps.passwdPath, account.name);
  if (uid === undefined) return refused('not a local account (not in the passwd file)');
  if (uid !== account.uid) return refused('account name and uid do not match');
  const before = shadowEntry(deps.shadowPath, account.name);
  if (!before) return refused('account has no shadow entry');

  const argv = ['-L', '--expiredate', '1', '--', account.name];
  if (options.dryRun) return planned('would lock and expire the account', [['usermod', ...argv]], { before });
  const result = await deps.runner.run('usermod', argv);
  if (result.code !== 0)
    return { ok: false, message: `usermod failed: ${withoutName(describeFailure(result), account.name)}`, details: {} };
  const undo: UndoRecord = {
    kind: 'enable_account',
    data: {
      name: account.name,
      uid: account.uid,
      wasLocked: before.locked,
      // '' = had no expiry (usermod --expiredate '' clears it)
      previousExpireDays: before.expireDays ?? '',
    },
    expiresAtMs: expiry(deps.clock.nowMs(), durationSeconds),
  };
  return { ok: true, message: 'account disabled (locked and expired)', details: { wasLocked: before.locked }, undo };
}

export async function enableAccount(
  deps: LinuxDeps,
  record: UndoRecord,
  options: ActionOptions,
): Promise<ActionOutcome> {
  const { name, uid, wasLocked, previousExpireDays } = record.data;
  if (typeof name !== 'string' || typeof uid !== 'number' || typeof wasLocked !== 'boolean')
    return refused('undo record not understood');
  if (previousExpireDays !== '' && !(typeof previousExpireDays === 'number' && Number.isInteger(previousExpireDays)))
    return refused('undo record not understood');
  const why = refuseAccount({ name, uid }, deps.policy);
  if (why) return refused(why);
  if (passwdUid(deps.passwdPath, name) !== uid)
    return refused('account name and uid do not match (or the account is gone)');

  // A number of days since 1970 is what shadow stores, and what usermod reads back exactly.
  const argv = [...(wasLocked ? [] : ['-U']), '--expiredate', String(previousExpireDays), '--', name];
  if (options.dryRun) return planned('would unlock the account and restore its expiry', [['usermod', ...argv]]);
  const result = await deps.runner.run('usermod', argv);
  if (result.code !== 0)
    return { ok: false, message: `usermod failed: ${withoutName(describeFailure(result), name)}`, details: {} };
  return { ok: true, message: 'account enabled again', details: { unlocked: !wasLocked } };
}
