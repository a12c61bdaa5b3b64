// The OPRF mode's path and address MACs, computed the agent's way (blind the folder or the
// network, let the key holder evaluate, finalize, keep 32 bytes, HMAC the value) and the
// manager's way (its PRF output for the group, HMAC the value): the same token. @noble/curves' own OPRF is the PRF here, an
// implementation independent of ours (@wardwatch/shared/oprf).
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  groupKeyOfOprfOutput,
  macOfOprfOutput,
  oprfInput,
  oprfAddressMac,
  oprfMacWith,
  oprfPathMac,
  GROUP_KEY_BYTES,
} from './oprf-token';

const { oprf } = ristretto255_oprf;
const { secretKey } = oprf.generateKeyPair();
/** The key holder's PRF (the manager's re-identification). */
const prf = (input: Uint8Array) => {
  const { blind, blinded } = oprf.blind(input);
  return oprf.finalize(input, blind, oprf.blindEvaluate(secretKey, blinded));
};
/** The agent's side: only the blinded element leaves; it keeps the first 32 bytes of the output. */
const agentGroupKey = (group: 'folder' | 'network', value: string) => {
  const input = oprfInput(group, value);
  const { blind, blinded } = oprf.blind(input);
  const evaluated = oprf.blindEvaluate(secretKey, blinded); // on the manager
  return groupKeyOfOprfOutput(oprf.finalize(input, blind, evaluated));
};
const agentFolderKey = (path: string) => agentGroupKey('folder', path);

describe('oprfPathMac', () => {
  it("gives the agent's and the manager's side the same MAC", () => {
    for (const path of ['/srv/records/ward3/discharge.pdf', 'C:\\Users\\Jones\\list.xlsx', '\\\\fs\\ward3\\a.doc']) {
      const agent = oprfPathMac(agentFolderKey(path), path);
      expect(agent).toMatch(/^[0-9a-f]{16}$/);
      expect(oprfMacWith(prf, 'path', path)).toBe(agent);
    }
  });

  it('is HMAC-SHA-256 under the first 32 bytes of F of "path" NUL the canonical path', () => {
    const path = '/srv//records/ward3/./discharge.pdf';
    const f = prf(oprfInput('folder', path));
    expect(f).toHaveLength(64);
    const expected = createHmac('sha256', f.subarray(0, 32))
      .update('path\0/srv/records/ward3/discharge.pdf')
      .digest('hex')
      .slice(0, 16);
    expect(oprfPathMac(f, path)).toBe(expected);
    // The 64-byte output or the 32 bytes kept: the same.
    expect(oprfPathMac(f.subarray(0, GROUP_KEY_BYTES), path)).toBe(expected);
    expect(() => oprfPathMac(f.subarray(0, 16), path)).toThrow(/16 bytes/);
  });

  it('one folder key serves every file of the folder, and each file keeps its own MAC', () => {
    const key = agentFolderKey('/srv/records/ward3/a.pdf');
    const a = oprfPathMac(key, '/srv/records/ward3/a.pdf');
    const b = oprfPathMac(key, '/srv/records/ward3/b.pdf');
    expect(a).not.toBe(b);
    expect(b).toBe(oprfMacWith(prf, 'path', '/srv/records/ward3/b.pdf'));
    // Spellings of one file: one MAC.
    expect(oprfMacWith(prf, 'path', 'C:\\Users\\Jones\\List.xlsx')).toBe(
      oprfMacWith(prf, 'path', 'c:/users/jones//list.xlsx'),
    );
  });

  it('another folder differs, even for the same name; a path is never its folder', () => {
    const here = oprfMacWith(prf, 'path', '/srv/records/ward3/a.pdf');
    expect(oprfMacWith(prf, 'path', '/srv/records/ward4/a.pdf')).not.toBe(here);
    // Not the MAC the folder itself, or the path as one PRF value, would have.
    expect(macOfOprfOutput(prf(oprfInput('folder', '/srv/records/ward3/a.pdf')))).not.toBe(here);
  });

  it('keeps the other kinds one PRF value each', () => {
    expect(oprfMacWith(prf, 'user', 'HOSPITAL\\Jones')).toBe(macOfOprfOutput(prf(oprfInput('user', 'jones'))));
    expect(Buffer.from(oprfInput('folder', 'C:\\Users\\Jones\\list.xlsx')).toString()).toBe(
      'folder\0c:\\users\\jones\\',
    );
  });
});

describe('oprfAddressMac', () => {
  it("gives the agent's and the manager's side the same MAC", () => {
    for (const address of ['203.0.113.7', '10.1.7.42', '2001:db8:0:7::1', 'fe80::1%eth0']) {
      const agent = oprfAddressMac(agentGroupKey('network', address), address);
      expect(agent).toMatch(/^[0-9a-f]{16}$/);
      expect(oprfMacWith(prf, 'ip', address)).toBe(agent);
    }
  });

  it('is HMAC-SHA-256 under the first 32 bytes of N of "ip" NUL the canonical address', () => {
    const n = prf(oprfInput('network', '::ffff:10.1.7.42'));
    expect(Buffer.from(oprfInput('network', '::ffff:10.1.7.42')).toString()).toBe('network\x0010.1.7.0/24');
    expect(Buffer.from(oprfInput('network', '2001:DB8:0:7::1')).toString()).toBe('network\x002001:db8:0:7::/64');
    const expected = createHmac('sha256', n.subarray(0, 32)).update('ip\x0010.1.7.42').digest('hex').slice(0, 16);
    expect(oprfAddressMac(n, '10.1.7.42')).toBe(expected);
    expect(oprfMacWith(prf, 'ip', '10.1.7.42')).toBe(expected);
  });

  it('one /24 (or /64) key serves all its addresses, each with its own MAC; the next network differs', () => {
    const key = agentGroupKey('network', '10.1.7.1');
    const macs = ['10.1.7.1', '10.1.7.2', '10.1.7.254'].map((a) => oprfAddressMac(key, a));
    expect(new Set(macs).size).toBe(3);
    expect(macs[2]).toBe(oprfMacWith(prf, 'ip', '10.1.7.254'));
    // The same key gives a wrong MAC for another /24: its token needs that network's output.
    expect(oprfAddressMac(key, '10.1.8.1')).not.toBe(oprfMacWith(prf, 'ip', '10.1.8.1'));
    const v6 = agentGroupKey('network', '2001:db8:0:7::1');
    expect(oprfAddressMac(v6, '2001:db8:0:7:abcd::9')).toBe(oprfMacWith(prf, 'ip', '2001:db8:0:7:abcd::9'));
    expect(oprfAddressMac(v6, '2001:db8:0:8::1')).not.toBe(oprfMacWith(prf, 'ip', '2001:db8:0:8::1'));
  });

  it("gives an IPv4-mapped IPv6 address, a bracketed or zoned spelling, the IPv4 address's MAC", () => {
    const mac = oprfMacWith(prf, 'ip', '10.1.7.42');
    for (const spelling of ['::ffff:10.1.7.42', '::ffff:a01:72a', '[::FFFF:10.1.7.42]', ' 10.1.7.42 '])
      expect(oprfMacWith(prf, 'ip', spelling)).toBe(mac);
    expect(oprfMacWith(prf, 'ip', '[fe80::1%eth0]')).toBe(oprfMacWith(prf, 'ip', 'fe80::1'));
  });

  it('keeps a value of kind ip that is not an address one PRF value of its own', () => {
    for (const value of ['unknown', 'ward3-ws12', '10.1.7.0/24']) {
      expect(oprfMacWith(prf, 'ip', value)).toBe(macOfOprfOutput(prf(oprfInput('ip', value))));
      expect(() => oprfInput('network', value)).toThrow(/not an address/);
    }
  });
});
