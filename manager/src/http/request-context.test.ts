// readCookie: a cookie value that is not validly percent-encoded is no cookie, not a
// thrown URIError. Found by the REST fuzz (api-fuzz.property.test.ts): `Cookie: ww_session=%`
// was answered 500 on every guarded route and on sign-out.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readCookie, SESSION_COOKIE } from './request-context';

const withCookie = (cookie: string) => ({ headers: { cookie } }) as IncomingMessage;

describe('readCookie', () => {
  it('reads and decodes the named cookie among others', () => {
    expect(readCookie(withCookie(`a=1; ${SESSION_COOKIE}=t%2Bk ; b=2`), SESSION_COOKIE)).toBe('t+k');
    expect(readCookie(withCookie('a=1'), SESSION_COOKIE)).toBeUndefined();
    expect(readCookie({ headers: {} } as IncomingMessage, SESSION_COOKIE)).toBeUndefined();
  });

  it.each(['%', '%zz', '%E0%A4%A', 'abc%'])('treats an undecodable value (%s) as no cookie', (value) => {
    expect(readCookie(withCookie(`${SESSION_COOKIE}=${value}`), SESSION_COOKIE)).toBeUndefined();
  });
});
