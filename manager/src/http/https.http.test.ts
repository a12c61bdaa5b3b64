// HTTPS for the dashboard over real sockets: beyond loopback the manager serves TLS
// with a certificate from its own CA (or files it is given), plain HTTP on that port
// gets no answer, the session cookie is Secure and HSTS is sent; on loopback it stays
// plain HTTP as before.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, createServerCertificate } from '../pki/certificate-authority';
import { StartError } from '../manager.app';
import { httpsRequest, managerCaPem } from '../testing/https-request.fixture';
import { TEST_ADMIN_PASSWORD, startTestManager, type TestManager } from '../testing/test-manager.fixture';

const json = { 'content-type': 'application/json' };
const credentials = JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD });

describe('beyond loopback: TLS from the manager CA', () => {
  let manager: TestManager;
  let ca = '';
  beforeAll(async () => {
    manager = await startTestManager({ env: { WARDWATCH_HTTP_HOST: '0.0.0.0' } });
    ca = managerCaPem(manager.config.dataDir);
  });
  afterAll(() => manager.stop());

  it('names an https URL this host can open, and answers over TLS trusted through the CA', async () => {
    expect(manager.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const live = await httpsRequest(`${manager.httpUrl}/health/live`, { ca });
    expect(live.status).toBe(200);
    expect(live.headers['strict-transport-security']).toBe('max-age=31536000');
    // The same name by localhost: the server certificate names it too.
    const port = new URL(manager.httpUrl).port;
    expect((await httpsRequest(`https://localhost:${port}/health/live`, { ca })).status).toBe(200);
  });

  it('is not trusted without the CA, and refuses plain HTTP', async () => {
    await expect(httpsRequest(`${manager.httpUrl}/health/live`, { ca: '' })).rejects.toThrow();
    const plain = manager.httpUrl.replace('https://', 'http://');
    await expect(fetch(`${plain}/health/live`)).rejects.toThrow();
  });

  it('sets the session cookie Secure, and the session works over TLS', async () => {
    const login = await httpsRequest(`${manager.httpUrl}/api/v1/auth/login`, {
      ca,
      method: 'POST',
      headers: json,
      body: credentials,
    });
    expect(login.status).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/; Secure(;|$)/);
    expect(setCookie).toContain('HttpOnly');
    const cookie = setCookie.split(';')[0];
    const me = await httpsRequest(`${manager.httpUrl}/api/v1/auth/me`, { ca, headers: { cookie } });
    expect(me.status).toBe(200);
    // The dashboard's own origin is now https://…: its writes pass, the http:// one does not.
    const write = (origin: string) =>
      httpsRequest(`${manager.httpUrl}/api/v1/enrollment-tokens`, {
        ca,
        method: 'POST',
        headers: { ...json, cookie, origin, 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({ ttlMinutes: 5 }),
      });
    expect((await write(manager.httpUrl)).status).toBe(201);
    expect((await write(manager.httpUrl.replace('https://', 'http://'))).status).toBe(403);
    const logout = await httpsRequest(`${manager.httpUrl}/api/v1/auth/logout`, {
      ca,
      method: 'POST',
      headers: { cookie },
    });
    expect(String(logout.headers['set-cookie'])).toMatch(/Max-Age=0; Secure/);
  });
});

describe('provided certificate files', () => {
  let folder = '';
  let otherCa = '';
  let manager: TestManager;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ww-tls-files-'));
    const caPair = await createCa(Date.now(), 'Hospital PKI test CA');
    const server = await createServerCertificate(caPair, ['localhost', '127.0.0.1'], Date.now());
    writeFileSync(join(folder, 'cert.pem'), server.certPem);
    writeFileSync(join(folder, 'key.pem'), server.keyPem, { mode: 0o600 });
    otherCa = caPair.certPem;
    // Files given on loopback: TLS is configured, so it is served.
    manager = await startTestManager({
      env: {
        WARDWATCH_HTTP_TLS_CERT_FILE: join(folder, 'cert.pem'),
        WARDWATCH_HTTP_TLS_KEY_FILE: join(folder, 'key.pem'),
      },
    });
  });
  afterAll(async () => {
    await manager.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves the given certificate, not one from its own CA', async () => {
    expect(manager.httpUrl).toMatch(/^https:/);
    expect((await httpsRequest(`${manager.httpUrl}/health/live`, { ca: otherCa })).status).toBe(200);
    const ownCa = managerCaPem(manager.config.dataDir);
    await expect(httpsRequest(`${manager.httpUrl}/health/live`, { ca: ownCa })).rejects.toThrow();
  });

  it('refuses to start, saying which file, when one cannot be read', async () => {
    const missing = join(folder, 'missing.pem');
    await expect(
      startTestManager({ env: { WARDWATCH_HTTP_TLS_CERT_FILE: missing, WARDWATCH_HTTP_TLS_KEY_FILE: missing } }),
    ).rejects.toThrow(StartError);
    await expect(
      startTestManager({ env: { WARDWATCH_HTTP_TLS_CERT_FILE: missing, WARDWATCH_HTTP_TLS_KEY_FILE: missing } }),
    ).rejects.toThrow(`cannot read the HTTPS key ${missing} (ENOENT)`);
  });
});

describe('loopback default: plain HTTP as before', () => {
  let manager: TestManager;
  beforeAll(async () => {
    manager = await startTestManager();
  });
  afterAll(() => manager.stop());

  it('serves http on 127.0.0.1 without HSTS, and a cookie without Secure', async () => {
    expect(manager.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const live = await fetch(`${manager.httpUrl}/health/live`);
    expect(live.status).toBe(200);
    expect(live.headers.get('strict-transport-security')).toBeNull();
    const login = await fetch(`${manager.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: json,
      body: credentials,
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).not.toContain('Secure');
  });
});
