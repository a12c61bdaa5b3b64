import { describe, expect, it } from 'vitest';
import { jsonLogReplacer } from './json-log-replacer';

describe('jsonLogReplacer', () => {
  it('keeps an error message and code, and writes bigints as text', () => {
    const error = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    const line = JSON.stringify({ error, plain: new Error('no code'), big: 2n ** 70n }, jsonLogReplacer);
    expect(JSON.parse(line)).toEqual({
      error: { message: 'disk full', code: 'ENOSPC' },
      plain: 'no code',
      big: '1180591620717411303424',
    });
  });
});
