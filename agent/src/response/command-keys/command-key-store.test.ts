import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCommandKey, tempDataDir } from '../response-test-kit.fixture';
import { COMMAND_KEYS_FILE, CommandKeyStore, commandKeyId } from './command-key-store';

describe('CommandKeyStore', () => {
  it('pins the enrollment keys in a 0600 file that a new instance reads back', () => {
    const dir = tempDataDir();
    const key = makeCommandKey();
    const store = new CommandKeyStore(dir);
    expect(store.pinAtEnrollment([key.commandKey]).pinned).toEqual([key.commandKey.keyId]);
    expect(statSync(join(dir, COMMAND_KEYS_FILE)).mode & 0o777).toBe(0o600);
    const again = new CommandKeyStore(dir);
    expect(again.ids()).toEqual([key.commandKey.keyId]);
    expect(again.get(key.commandKey.keyId)?.asymmetricKeyType).toBe('ed25519');
  });

  it('refuses a key whose id does not match its SPKI, and a key that is not Ed25519', () => {
    const store = new CommandKeyStore(tempDataDir());
    const key = makeCommandKey();
    const wrongId = store.pinAtEnrollment([{ ...key.commandKey, keyId: '0123456789abcdef' }]);
    expect(wrongId.rejected[0]?.problem).toMatch(/does not match/);
    const notKey = Buffer.from('not a key');
    const garbage = store.pinAtEnrollment([{ keyId: commandKeyId(notKey), publicKey: notKey }]);
    expect(garbage.rejected[0]?.problem).toMatch(/not a public key/);
    expect(store.ids()).toEqual([]);
  });

  it('takes keys from a renewal only while none is pinned', () => {
    const store = new CommandKeyStore(tempDataDir());
    const first = makeCommandKey();
    const second = makeCommandKey();
    expect(store.pinFromRenewal([first.commandKey]).pinned).toEqual([first.commandKey.keyId]);
    expect(store.pinFromRenewal([second.commandKey]).pinned).toEqual([]);
    expect(store.ids()).toEqual([first.commandKey.keyId]);
  });

  it('rotation: the next key sits beside the signer until a command signed by it is verified', () => {
    const dir = tempDataDir();
    const store = new CommandKeyStore(dir);
    const old = makeCommandKey();
    const next = makeCommandKey();
    store.pinAtEnrollment([old.commandKey]);
    store.pinNext(next.commandKey, old.commandKey.keyId);
    expect(store.ids()).toEqual([old.commandKey.keyId, next.commandKey.keyId]);
    // A command by the old key retires nothing.
    expect(store.confirmUse(old.commandKey.keyId)).toBeNull();
    // Across a restart the pending retirement is remembered.
    const restarted = new CommandKeyStore(dir);
    expect(restarted.confirmUse(next.commandKey.keyId)).toBe(old.commandKey.keyId);
    expect(restarted.ids()).toEqual([next.commandKey.keyId]);
    expect(new CommandKeyStore(dir).ids()).toEqual([next.commandKey.keyId]);
  });
});
