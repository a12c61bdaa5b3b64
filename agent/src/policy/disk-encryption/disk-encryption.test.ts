import { describe, expect, it } from 'vitest';
import { ExecCommandRunner } from '../../response/actions/command-runner';
import { DiskEncryptionProbe } from './disk-encryption-probe';
import { parseFdesetup } from './fdesetup';
import { parseLsblk } from './lsblk';
import { parseManageBde } from './manage-bde';

const lsblk = (devices: unknown) => JSON.stringify({ blockdevices: devices });

describe('parseLsblk', () => {
  it('LUKS partition with LVM inside, root on a logical volume: encrypted', () => {
    const out = lsblk([
      {
        name: 'nvme0n1',
        type: 'disk',
        fstype: null,
        mountpoint: null,
        children: [
          { name: 'nvme0n1p1', type: 'part', fstype: 'vfat', mountpoint: '/boot/efi' },
          {
            name: 'nvme0n1p3',
            type: 'part',
            fstype: 'crypto_LUKS',
            mountpoint: null,
            children: [
              {
                name: 'luks-3f1c',
                type: 'crypt',
                fstype: 'LVM2_member',
                mountpoint: null,
                children: [
                  { name: 'vg-root', type: 'lvm', fstype: 'ext4', mountpoint: '/' },
                  { name: 'vg-swap', type: 'lvm', fstype: 'swap', mountpoint: '[SWAP]' },
                ],
              },
            ],
          },
        ],
      },
    ]);
    expect(parseLsblk(out)).toEqual({
      state: 'encrypted',
      detail: 'root file system on vg-root, encrypted by dm-crypt (luks-3f1c)',
    });
  });

  it('root on a plain partition, an encrypted data disk beside it: not encrypted', () => {
    const out = lsblk([
      {
        name: 'sda',
        type: 'disk',
        fstype: null,
        mountpoint: null,
        children: [{ name: 'sda2', type: 'part', fstype: 'ext4', mountpoint: '/' }],
      },
      {
        name: 'sdb',
        type: 'disk',
        fstype: 'crypto_LUKS',
        mountpoint: null,
        children: [{ name: 'data', type: 'crypt', fstype: 'xfs', mountpoint: '/data' }],
      },
    ]);
    expect(parseLsblk(out)).toMatchObject({
      state: 'not_encrypted',
      detail: expect.stringContaining('sda2') as unknown,
    });
  });

  it('newer lsblk (mountpoints array) and no root among block devices (a container)', () => {
    const newer = lsblk([{ name: 'dm-0', type: 'crypt', fstype: 'btrfs', mountpoints: ['/home', '/'] }]);
    expect(parseLsblk(newer).state).toBe('encrypted');
    expect(parseLsblk(lsblk([{ name: 'loop0', type: 'loop', fstype: 'squashfs', mountpoint: '/snap/x' }])).state).toBe(
      'unknown',
    );
    expect(parseLsblk('not json').state).toBe('unknown');
    expect(parseLsblk('{"blockdevices": [{"nope": 1}]}').state).toBe('unknown');
  });
});

const MANAGE_BDE_ON = `BitLocker Drive Encryption: Configuration Tool version 10.0.19041
Copyright (C) 2013 Microsoft Corporation. All rights reserved.

Disk volumes that can be protected with
BitLocker Drive Encryption:
Volume D: [Data]
[Data Volume]

    Size:                 931.51 GB
    BitLocker Version:    None
    Conversion Status:    Fully Decrypted
    Percentage Encrypted: 0.0%
    Protection Status:    Protection Off

Volume C: [OS]
[OS Volume]

    Size:                 237.84 GB
    BitLocker Version:    2.0
    Conversion Status:    Fully Encrypted
    Percentage Encrypted: 100.0%
    Encryption Method:    XTS-AES 128
    Protection Status:    Protection On
    Lock Status:          Unlocked
    Identification Field: Unknown
    Key Protectors:
        TPM
        Numerical Password
`;

describe('parseManageBde', () => {
  it('the OS volume fully encrypted with protection on: encrypted (a decrypted data volume aside)', () => {
    expect(parseManageBde(MANAGE_BDE_ON)).toEqual({
      state: 'encrypted',
      detail: 'BitLocker: C: Fully Encrypted, Protection On (100.0%)',
    });
  });

  it('suspended protection, encryption in progress or decrypted: not encrypted', () => {
    expect(parseManageBde(MANAGE_BDE_ON.replace(/Protection On/, 'Protection Off')).state).toBe('not_encrypted');
    const progress = MANAGE_BDE_ON.replace(
      'Conversion Status:    Fully Encrypted',
      'Conversion Status:    Encryption in Progress',
    ).replace('Percentage Encrypted: 100.0%', 'Percentage Encrypted: 42.5%');
    expect(parseManageBde(progress)).toMatchObject({
      state: 'not_encrypted',
      detail: expect.stringContaining('42.5%') as unknown,
    });
    expect(parseManageBde('ERROR: An attempt to access a required resource was denied.').state).toBe('unknown');
  });
});

describe('parseFdesetup', () => {
  it('reads on, off and conversions in progress', () => {
    expect(parseFdesetup('FileVault is On.\n')).toEqual({ state: 'encrypted', detail: 'FileVault is on' });
    expect(parseFdesetup('FileVault is Off.\n').state).toBe('not_encrypted');
    expect(parseFdesetup('FileVault is On.\nEncryption in progress: Percent completed = 34.5\n')).toEqual({
      state: 'not_encrypted',
      detail: 'FileVault: Encryption in progress: Percent completed = 34.5',
    });
    expect(parseFdesetup('FileVault is Off.\nDecryption in progress: Percent completed = 80.1\n').state).toBe(
      'not_encrypted',
    );
    expect(parseFdesetup('fdesetup: command requires root').state).toBe('unknown');
  });
});

describe('DiskEncryptionProbe', () => {
  it.runIf(process.platform === 'linux')('runs the real lsblk and finds where the root file system is', async () => {
    const status = await new DiskEncryptionProbe(new ExecCommandRunner(), 'linux').check();
    // This machine's answer, whatever it is, comes from lsblk's JSON: a parse failure would say "not understood".
    expect(status.detail).not.toMatch(/not JSON|not understood|failed/);
    expect(['encrypted', 'not_encrypted', 'unknown']).toContain(status.state);
  });

  it('says unknown on a platform without a check', async () => {
    expect(await new DiskEncryptionProbe(new ExecCommandRunner(), 'aix').check()).toEqual({
      state: 'unknown',
      detail: 'no disk-encryption check on aix',
    });
  });
});
