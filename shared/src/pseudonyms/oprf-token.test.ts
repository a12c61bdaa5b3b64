// The OPRF mode's path MAC, computed the agent's way (blind the folder, let the key holder
// evaluate, finalize, keep 32 bytes, HMAC the path) and the manager's way (its PRF output for
// the folder, HMAC the path): the same token. @noble/curves' own OPRF is the PRF here, an
// implementation independent of ours (@wardwatch/shared/oprf).
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  folderKeyOfOprfOutput,
  macOfOprfOutput,
  oprfInput,
  oprfMacWith,
  oprfPathMac,
  FOLDER_KEY_BYTES,
} from './oprf-token';

const { oprf } = ristretto255_oprf;
const { secretKey } = oprf.generateKeyPair();
/** The key holder's PRF (the manager's re-identification). */
const prf = (input: Uint8Array) => {
  const { blind, blinded } = oprf.blind(input);
  return oprf.finalize(input, blind, oprf.blindEvaluate(secretKey, blinded));
};
/** The agent's side: only the blinded element leaves; it keeps the first 32 bytes of F. */
const agentFolderKey = (path: string) => {
  const input = oprfInput('folder', path);
  const { blind, blinded } = oprf.blind(input);
  const evaluated = oprf.blindEvaluate(secretKey, blinded); // on the manager
  return folderKeyOfOprfOutput(oprf.finalize(input, blind, evaluated));
};

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
    expect(oprfPathMac(f.subarray(0, FOLDER_KEY_BYTES), path)).toBe(expected);
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
