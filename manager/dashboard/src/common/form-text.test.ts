import { describe, expect, it } from 'vitest';
import { formText, formTexts } from './form-text';

describe('formText', () => {
  it('reads text fields and treats missing fields and files as empty', () => {
    const form = new FormData();
    form.set('user', 'nurse7');
    form.set('upload', new Blob(['x']), 'x.txt');
    expect(formText(form, 'user')).toBe('nurse7');
    expect(formText(form, 'missing')).toBe('');
    expect(formText(form, 'upload')).toBe('');
    expect(formTexts(form)).toEqual({ user: 'nurse7' });
  });
});
