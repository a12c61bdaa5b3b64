// The renderer's form checks against the shared request schemas that main and the
// agent apply: a form the page accepts must pass them, one it refuses must not.
import { BreakGlassRequest, MaintenanceRequest, OpenSealedRequest, UndoRequest } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { checkBreakGlass, checkMaintenance, checkOpenSealed, checkUndo } from './response-forms';
import { formatClock, formatCountdown, warningText } from './response-words';

const reasons = ['', 'ab', '  ab  ', 'abc', '  cardiac arrest  ', 'r'.repeat(500), 'r'.repeat(501), ' '.repeat(10)];
const minutes = ['', '4', '5', '60', '480', '481', '7.5', 'abc', ' 30 ', '-5'];
const codes = ['', 'c'.repeat(15), 'c'.repeat(16), ` ${'c'.repeat(20)} `, 'c'.repeat(2000), 'c'.repeat(2001)];

describe('response form checks', () => {
  it('accept exactly what BreakGlassRequest accepts, and send the parsed value', () => {
    for (const reason of reasons)
      for (const m of minutes) {
        const checked = checkBreakGlass(reason, m);
        const schema = BreakGlassRequest.safeParse({ reason, minutes: m.trim() === '' ? NaN : Number(m) });
        expect({ reason, m, ok: checked.ok }).toEqual({ reason, m, ok: schema.success });
        if (checked.ok && schema.success) expect(BreakGlassRequest.parse(checked.value)).toEqual(schema.data);
      }
  });

  it('accept exactly what MaintenanceRequest and UndoRequest accept', () => {
    for (const reason of reasons.slice(0, 6))
      for (const m of minutes.slice(0, 6))
        for (const code of codes) {
          const ok = checkMaintenance(reason, m, code).ok;
          const schema = MaintenanceRequest.safeParse({ reason, minutes: Number(m || NaN), code });
          expect({ reason, m, code: code.length, ok }).toEqual({ reason, m, code: code.length, ok: schema.success });
        }
    for (const code of codes)
      expect(checkUndo('cmd-1', code).ok).toBe(UndoRequest.safeParse({ commandId: 'cmd-1', code }).success);
  });

  it('accept exactly what OpenSealedRequest accepts once the path is trimmed, and send the parsed value', () => {
    const paths = ['', '/', ' / ', '/a', '  /srv/scans/a.pdf.wwsealed  ', 'p'.repeat(4096), 'p'.repeat(4097)];
    for (const path of paths)
      for (const reason of reasons.slice(0, 6))
        for (const code of codes) {
          const checked = checkOpenSealed(path, reason, code);
          const schema = OpenSealedRequest.safeParse({ path: path.trim(), reason, code });
          expect({ path: path.length, reason, code: code.length, ok: checked.ok }).toEqual({
            path: path.length,
            reason,
            code: code.length,
            ok: schema.success,
          });
          if (checked.ok && schema.success) expect(OpenSealedRequest.parse(checked.value)).toEqual(schema.data);
        }
    expect(checkOpenSealed(' ', 'GP letter', 'c'.repeat(20))).toMatchObject({ field: 'path' });
  });

  it('say which field is wrong, in words', () => {
    expect(checkBreakGlass('x', '60')).toEqual({
      ok: false,
      field: 'reason',
      message: 'Give a reason (at least 3 characters).',
    });
    expect(checkMaintenance('patching', '1000', 'c'.repeat(20))).toMatchObject({ field: 'minutes' });
    expect(checkMaintenance('patching', '30', '')).toMatchObject({
      field: 'code',
      message: 'Enter the maintenance code from the WardWatch manager.',
    });
  });
});

describe('response words', () => {
  it('format the countdown and the clock', () => {
    expect(warningText('lock_screen', 42_000, 0)).toBe('Save your work: this session will be locked in 0:42');
    expect(formatCountdown(-1)).toBe('0:00');
    const at = new Date(2026, 11, 2, 14, 5).getTime();
    expect(formatClock(at)).toBe('14:05');
  });
});
