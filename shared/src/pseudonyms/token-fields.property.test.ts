import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearSystemPath } from './clear-values';
import { pseudonymOf } from './pseudonym-of';
import { pathToken, tokenExtension } from './pseudonym-token';
import { pathFolderClasses } from './token-format';
import { clearFieldOfEvent, clearValueInText, isTokenFieldValue } from './token-fields';

const key = Buffer.alloc(32, 9);

describe('token fields, for any value', () => {
  it('accept whatever the pseudonym functions make of it', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...pathFolderClasses), fc.nat(999), (value, folderClass, depth) => {
        for (const kind of ['user', 'ip', 'host', 'device'] as const)
          expect(isTokenFieldValue(kind, pseudonymOf(key, kind, value)), kind).toBe(true);
        const extension = tokenExtension(key, value);
        const path = clearSystemPath(value) ?? pathToken(key, value, { folderClass, depth, extension });
        expect(isTokenFieldValue('path', path)).toBe(true);
        expect(isTokenFieldValue('extension', extension)).toBe(true);
      }),
    );
  });

  it('refuse it in clear unless it is one of the values kept in clear, spelt as the agent spells it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (value) => {
        for (const kind of ['user', 'ip', 'host', 'device', 'path'] as const) {
          const sent = kind === 'path' ? (clearSystemPath(value) ?? '') : pseudonymOf(key, kind, value);
          // A value passes in clear only where the agent would have sent it as it is.
          if (isTokenFieldValue(kind, value)) expect(sent === value || /^(u|ip|h|d|p)_/.test(value), kind).toBe(true);
        }
        expect(isTokenFieldValue('blank', value)).toBe(false);
      }),
    );
  });
});

describe('free text', () => {
  it('passes with tokens, kept values and times of day; refuses addresses and paths in clear', () => {
    for (const text of [
      'wrote 214 files to a USB drive; usual is 0',
      'failed logons from ip_0123456789abcdef at 10:02:33 for u_0123456789abcdef',
      'ran /usr/bin/ssh to 127.0.0.1 and ::1',
      'opened p_phi_d2_0123456789abcdef.pdf (3/4 of the window)',
    ])
      expect(clearValueInText(text), text).toBeUndefined();
    expect(clearValueInText('failed logons from 203.0.113.7')).toBe('ip');
    expect(clearValueInText('connection to 2001:db8::7 refused')).toBe('ip');
    expect(clearValueInText('copied /home/jones/discharge.pdf')).toBe('path');
    expect(clearValueInText('copied "C:\\Users\\jones\\list.xlsx"')).toBe('path');
  });
});

describe('clearFieldOfEvent', () => {
  it('names the first field holding a clear value, and passes empty ones', () => {
    const file = (value: object) => ({ user: 'u_0123456789abcdef', detail: { $case: 'file', value } });
    expect(clearFieldOfEvent(file({ path: '', previousPath: '', extension: '', owner: '', process: '' }))).toBe(
      undefined,
    );
    expect(clearFieldOfEvent({ user: 'nurse.jones' })).toEqual({ field: 'user', kind: 'user' });
    expect(clearFieldOfEvent({ user: 'root' })).toBeUndefined();
    expect(clearFieldOfEvent(file({ path: '/srv/records/ward3/discharge.pdf' }))).toEqual({
      field: 'file.path',
      kind: 'path',
    });
    expect(clearFieldOfEvent(file({ extension: '.jones' }))).toEqual({ field: 'file.extension', kind: 'extension' });
    expect(
      clearFieldOfEvent({ user: '', detail: { $case: 'login', value: { sourceIp: '10.0.0.1', raw: '' } } }),
    ).toEqual({ field: 'login.sourceIp', kind: 'ip' });
    expect(
      clearFieldOfEvent({ user: '', detail: { $case: 'process', value: { commandLine: 'x -p secret' } } }),
    ).toEqual({ field: 'process.commandLine', kind: 'blank' });
    expect(clearFieldOfEvent({ user: '', detail: { $case: 'unknown', value: { path: '/x' } } })).toBeUndefined();
  });
});
