import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeRequest, type OriginPolicy, type WriteRequest } from './request-origin.policy';

const policy: OriginPolicy = { scheme: 'https', allowedOrigins: ['https://ww.example.org'] };
const dashboardPost: WriteRequest = {
  method: 'POST',
  host: 'manager.ward:8443',
  origin: 'https://manager.ward:8443',
  secFetchSite: 'same-origin',
  contentType: 'application/json',
  hasBody: true,
};
const verdict = (change: Partial<WriteRequest>, p: OriginPolicy = policy) =>
  judgeRequest({ ...dashboardPost, ...change }, p);
const refusal = (change: Partial<WriteRequest>, p: OriginPolicy = policy) => {
  const v = verdict(change, p);
  return v.kind === 'allow' ? 'allow' : `${v.status} ${v.reason}`;
};

describe('judgeRequest', () => {
  it("allows the dashboard's own JSON writes, and a configured origin", () => {
    expect(refusal({})).toBe('allow');
    expect(refusal({ contentType: 'application/json; charset=utf-8' })).toBe('allow');
    expect(refusal({ origin: 'HTTPS://Manager.Ward:8443' })).toBe('allow');
    expect(refusal({ origin: 'https://ww.example.org', secFetchSite: undefined })).toBe('allow');
  });

  it('refuses a foreign, opaque or wrong-scheme Origin with 403', () => {
    expect(refusal({ origin: 'https://evil.example', secFetchSite: undefined })).toBe('403 foreign_origin');
    expect(refusal({ origin: 'null', secFetchSite: undefined })).toBe('403 foreign_origin');
    expect(refusal({ origin: 'http://manager.ward:8443', secFetchSite: undefined })).toBe('403 foreign_origin');
    expect(refusal({ origin: 'https://manager.ward:8444', secFetchSite: undefined })).toBe('403 foreign_origin');
    expect(refusal({ origin: 'https://manager.ward:8443', host: undefined })).toBe('403 foreign_origin');
  });

  it('refuses every Sec-Fetch-Site but same-origin, with or without an Origin', () => {
    for (const site of ['cross-site', 'same-site', 'none', 'Cross-Site']) {
      expect(refusal({ secFetchSite: site })).toBe('403 cross_site');
      expect(refusal({ secFetchSite: site, origin: undefined })).toBe('403 cross_site');
    }
  });

  it('lets a client without Origin or Sec-Fetch-Site (CLI, scripts) write JSON', () => {
    expect(refusal({ origin: undefined, secFetchSite: undefined })).toBe('allow');
  });

  it('answers 415 to a write that is not JSON, the forged forms included once same-origin', () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ]) {
      expect(refusal({ contentType: type })).toBe('415 not_json');
      expect(refusal({ contentType: type, hasBody: false })).toBe('415 not_json');
    }
    expect(refusal({ contentType: undefined, hasBody: true })).toBe('415 not_json');
    expect(refusal({ contentType: undefined, hasBody: false })).toBe('allow');
  });

  it('checks the origin before the type: a forged form POST is a 403, reported as such', () => {
    expect(refusal({ origin: 'https://evil.example', contentType: 'text/plain', secFetchSite: undefined })).toBe(
      '403 foreign_origin',
    );
  });

  it('never judges reads', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'get'),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        (method, origin, secFetchSite, contentType) =>
          verdict({ method, origin, secFetchSite, contentType }).kind === 'allow',
      ),
    );
  });

  it('allows a write only when the Origin is absent or its own, Sec-Fetch-Site absent or same-origin, and JSON', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE'),
        fc.option(
          fc.constantFrom('https://manager.ward:8443', 'https://evil.example', 'null', 'https://ww.example.org'),
          {
            nil: undefined,
          },
        ),
        fc.option(fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none'), { nil: undefined }),
        fc.option(fc.constantFrom('application/json', 'text/plain'), { nil: undefined }),
        fc.boolean(),
        (method, origin, secFetchSite, contentType, hasBody) => {
          const allowed = verdict({ method, origin, secFetchSite, contentType, hasBody }).kind === 'allow';
          const ownOrigin =
            origin === undefined || origin === 'https://manager.ward:8443' || origin === 'https://ww.example.org';
          const sameSite = secFetchSite === undefined || secFetchSite === 'same-origin';
          const json = contentType === 'application/json' || (contentType === undefined && !hasBody);
          return allowed === (ownOrigin && sameSite && json);
        },
      ),
    );
  });
});
