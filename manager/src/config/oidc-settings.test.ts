import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.schema';

const sso = {
  WARDWATCH_OIDC_ISSUER: 'https://login.hospital.example/realms/staff',
  WARDWATCH_OIDC_CLIENT_ID: 'wardwatch',
  WARDWATCH_OIDC_CLIENT_SECRET: 'secret',
  WARDWATCH_OIDC_ROLE_MAP: 'ww-admins=admin',
};

describe('single sign-on settings', () => {
  it('are off without an issuer', () => {
    expect(parseConfig({}, '/srv').oidc).toBeUndefined();
  });

  it('derive the redirect URI from the public URL, else from the manager address', () => {
    const behindProxy = parseConfig({ ...sso, WARDWATCH_PUBLIC_URL: 'https://ww.hospital.example/' }, '/srv').oidc;
    expect(behindProxy?.redirectUri.href).toBe('https://ww.hospital.example/api/v1/auth/oidc/callback');
    const own = parseConfig({ ...sso, WARDWATCH_HTTP_HOST: '10.0.0.5', WARDWATCH_HTTP_PORT: '8443' }, '/srv').oidc;
    expect(own?.redirectUri.href).toBe('https://10.0.0.5:8443/api/v1/auth/oidc/callback');
    expect(own).toMatchObject({
      scopes: ['openid', 'profile', 'email'],
      roleClaim: 'groups',
      provisionUnknownUsers: true,
    });
  });

  it('refuse a half-configured SSO, naming every problem', () => {
    const parse = () =>
      parseConfig(
        {
          WARDWATCH_OIDC_ISSUER: 'http://login.hospital.example',
          WARDWATCH_OIDC_ROLE_MAP: 'staff=root',
          WARDWATCH_OIDC_SCOPES: 'profile',
        },
        '/srv',
      );
    expect(parse).toThrow(/must be https/);
    expect(parse).toThrow(/WARDWATCH_OIDC_CLIENT_ID: required/);
    expect(parse).toThrow(/CLIENT_SECRET_FILE: set exactly one/);
    expect(parse).toThrow(/"root" is not a role/);
    expect(parse).toThrow(/must include openid/);
  });

  it('take plain http only from a loopback issuer', () => {
    expect(parseConfig({ ...sso, WARDWATCH_OIDC_ISSUER: 'http://127.0.0.1:9000' }, '/srv').oidc?.issuer.host).toBe(
      '127.0.0.1:9000',
    );
  });
});
