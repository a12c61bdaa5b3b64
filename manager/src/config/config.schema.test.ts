import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.schema';
import { isLoopbackHost } from './http-settings';

describe('parseConfig', () => {
  it('defaults to SQLite in .wardwatch/manager under the working folder, HTTP on loopback', () => {
    const config = parseConfig({}, '/srv/ww');
    expect(config).toMatchObject({
      dataDir: '/srv/ww/.wardwatch/manager',
      database: { kind: 'sqlite', file: '/srv/ww/.wardwatch/manager/wardwatch.sqlite' },
      http: { host: '127.0.0.1', port: 8080 },
      grpc: { host: '0.0.0.0', port: 50051 },
      adminPassword: undefined,
      tlsSans: [],
      metrics: { token: undefined },
      retention: { eventsDays: 90, scoresDays: 90, alertsDays: 365, intervalMs: 3_600_000, batchSize: 5_000 },
      agentCertificates: { lifetimeMs: 365 * 86_400_000, renewMinIntervalMs: 300_000 },
    });
  });

  it('reads the session idle timeout and lifetime (30 min, 12 h by default), refusing 0', () => {
    expect(parseConfig({}, '/x').sessions).toEqual({ idleTimeoutMs: 1_800_000, maxLifetimeMs: 43_200_000 });
    expect(
      parseConfig({ WARDWATCH_SESSION_IDLE_MINUTES: '5', WARDWATCH_SESSION_MAX_HOURS: '24' }, '/x').sessions,
    ).toEqual({ idleTimeoutMs: 300_000, maxLifetimeMs: 86_400_000 });
    expect(() => parseConfig({ WARDWATCH_SESSION_IDLE_MINUTES: '0' }, '/x')).toThrow(/WARDWATCH_SESSION_IDLE_MINUTES/);
  });

  it('reads the playbook caps, bulk threshold and site time zone, refusing an unknown zone', () => {
    expect(parseConfig({}, '/x').playbooks).toEqual({
      maxAutoPerMinute: 20,
      maxAutoPerUnitPerMinute: 5,
      bulkThreshold: 5,
      siteTimeZone: 'UTC',
    });
    const config = parseConfig(
      {
        WARDWATCH_RESPONSE_MAX_AUTO_PER_MINUTE: '0',
        WARDWATCH_RESPONSE_MAX_AUTO_PER_UNIT_PER_MINUTE: '2',
        WARDWATCH_RESPONSE_BULK_THRESHOLD: '10',
        WARDWATCH_SITE_TIME_ZONE: 'Europe/Paris',
      },
      '/x',
    );
    expect(config.playbooks).toEqual({
      maxAutoPerMinute: 0,
      maxAutoPerUnitPerMinute: 2,
      bulkThreshold: 10,
      siteTimeZone: 'Europe/Paris',
    });
    expect(() => parseConfig({ WARDWATCH_SITE_TIME_ZONE: 'Mars/Olympus' }, '/x')).toThrow(/WARDWATCH_SITE_TIME_ZONE/);
    expect(() => parseConfig({ WARDWATCH_RESPONSE_BULK_THRESHOLD: '0' }, '/x')).toThrow(
      /WARDWATCH_RESPONSE_BULK_THRESHOLD/,
    );
  });

  it('reads the agent certificate lifetime and renewal interval, and refuses a lifetime under 2 s', () => {
    const config = parseConfig(
      { WARDWATCH_AGENT_CERT_LIFETIME_SECONDS: '90', WARDWATCH_AGENT_RENEW_MIN_INTERVAL_SECONDS: '0' },
      '/srv/ww',
    );
    expect(config.agentCertificates).toEqual({ lifetimeMs: 90_000, renewMinIntervalMs: 0 });
    expect(() => parseConfig({ WARDWATCH_AGENT_CERT_LIFETIME_SECONDS: '1' }, '/srv/ww')).toThrow(
      /WARDWATCH_AGENT_CERT_LIFETIME_SECONDS/,
    );
  });

  it('reads the metrics token and the retention settings, 0 days meaning for ever', () => {
    const config = parseConfig(
      {
        WARDWATCH_METRICS_TOKEN: 'a-long-enough-token-1234',
        WARDWATCH_RETENTION_EVENTS_DAYS: '30',
        WARDWATCH_RETENTION_ALERTS_DAYS: '0',
        WARDWATCH_RETENTION_INTERVAL_MINUTES: '5',
        WARDWATCH_RETENTION_BATCH_SIZE: '100',
      },
      '/x',
    );
    expect(config.metrics.token).toBe('a-long-enough-token-1234');
    expect(config.retention).toEqual({
      eventsDays: 30,
      scoresDays: 90,
      alertsDays: 0,
      intervalMs: 300_000,
      batchSize: 100,
    });
    expect(() => parseConfig({ WARDWATCH_METRICS_TOKEN: 'short' }, '/x')).toThrow(/WARDWATCH_METRICS_TOKEN/);
    expect(() => parseConfig({ WARDWATCH_RETENTION_EVENTS_DAYS: '-1' }, '/x')).toThrow(
      /WARDWATCH_RETENTION_EVENTS_DAYS/,
    );
  });

  it('reads the silent-agent limit in seconds (default 5 min, 0 turns it off) and its severity', () => {
    expect(parseConfig({}, '/x').silentAgents).toEqual({ afterMs: 300_000, checkIntervalMs: 60_000, severity: 'high' });
    expect(parseConfig({}, '/x').blindAgents).toEqual({ checkIntervalMs: 60_000, severity: 'high' });
    expect(parseConfig({ WARDWATCH_BLIND_AGENT_CHECK_SECONDS: '0' }, '/x').blindAgents.checkIntervalMs).toBe(0);
    expect(
      parseConfig({ WARDWATCH_SILENT_AGENT_SECONDS: '0', WARDWATCH_SILENT_AGENT_SEVERITY: 'medium' }, '/x')
        .silentAgents,
    ).toMatchObject({ afterMs: 0, severity: 'medium' });
    expect(() => parseConfig({ WARDWATCH_SILENT_AGENT_SEVERITY: 'info' }, '/x')).toThrow(
      /WARDWATCH_SILENT_AGENT_SEVERITY/,
    );
  });

  it('uses PostgreSQL when DATABASE_URL is set, with an optional schema, and splits the extra TLS names', () => {
    const config = parseConfig(
      {
        DATABASE_URL: 'postgres://ww@db/ww',
        WARDWATCH_DB_SCHEMA: 'ward_a',
        WARDWATCH_TLS_SANS: 'manager.hospital.local, 10.1.2.3,',
        WARDWATCH_GRPC_PORT: '0',
      },
      '/x',
    );
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://ww@db/ww', schema: 'ward_a' });
    expect(config.tlsSans).toEqual(['manager.hospital.local', '10.1.2.3']);
    expect(config.grpc.port).toBe(0);
  });

  it('reads the sign-in throttle and trusted proxies, refusing an entry that is not an address or range', () => {
    expect(parseConfig({}, '/x').signIn).toEqual({
      trustedProxies: [],
      freeFailures: 3,
      maxBackoffMs: 900_000,
      sourcePerMinute: 30,
      sourceBurst: 20,
      sprayAccounts: 10,
      sprayWindowMs: 600_000,
    });
    const config = parseConfig(
      { WARDWATCH_TRUSTED_PROXIES: ' 10.0.0.5, 172.16.0.0/12 ,fd00::/8', WARDWATCH_LOGIN_BACKOFF_MAX_SECONDS: '60' },
      '/x',
    );
    expect(config.signIn).toMatchObject({
      trustedProxies: ['10.0.0.5', '172.16.0.0/12', 'fd00::/8'],
      maxBackoffMs: 60_000,
    });
    for (const bad of ['proxy.local', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/1', '10.0.0.0/x'])
      expect(() => parseConfig({ WARDWATCH_TRUSTED_PROXIES: bad }, '/x')).toThrow(/WARDWATCH_TRUSTED_PROXIES/);
  });

  it('requires a second factor of admins and privacy officers by default; the roles are a checked list or none', () => {
    expect(parseConfig({}, '/x').mfa).toEqual({
      requiredRoles: ['admin', 'privacy_officer'],
      keyFile: '/x/.wardwatch/manager/mfa.key',
      publicOrigin: { origin: 'http://localhost:8080', rpId: 'localhost' },
    });
    expect(parseConfig({ WARDWATCH_MFA_REQUIRED_ROLES: ' analyst, admin,analyst ' }, '/x').mfa.requiredRoles).toEqual([
      'analyst',
      'admin',
    ]);
    expect(parseConfig({ WARDWATCH_MFA_REQUIRED_ROLES: 'None' }, '/x').mfa.requiredRoles).toEqual([]);
    expect(parseConfig({ WARDWATCH_MFA_KEY_FILE: 'keys/mfa.key' }, '/x').mfa.keyFile).toBe('/x/keys/mfa.key');
  });

  it('binds security keys to the public origin: a host name, https unless localhost; off when unknowable', () => {
    const origin = (env: Record<string, string>) => parseConfig(env, '/x').mfa.publicOrigin;
    expect(origin({ WARDWATCH_PUBLIC_ORIGIN: 'HTTPS://WardWatch.Ward3.example/' })).toEqual({
      origin: 'https://wardwatch.ward3.example',
      rpId: 'wardwatch.ward3.example',
    });
    expect(origin({ WARDWATCH_PUBLIC_ORIGIN: 'http://localhost:5173' })?.rpId).toBe('localhost');
    // Beyond loopback, or on an ephemeral port, the manager cannot know the origin by itself.
    expect(origin({ WARDWATCH_HTTP_HOST: '0.0.0.0' })).toBeUndefined();
    expect(origin({ WARDWATCH_HTTP_PORT: '0' })).toBeUndefined();
    for (const bad of ['http://ww.example', 'https://10.0.0.5', 'https://[::1]:8443', 'https://ww.example/app', 'ww'])
      expect(() => parseConfig({ WARDWATCH_PUBLIC_ORIGIN: bad }, '/x')).toThrow(/WARDWATCH_PUBLIC_ORIGIN/);
    for (const bad of ['', ' , ', 'root', 'admin,nurse'])
      expect(() => parseConfig({ WARDWATCH_MFA_REQUIRED_ROLES: bad }, '/x')).toThrow(/WARDWATCH_MFA_REQUIRED_ROLES/);
  });

  it('names every bad variable', () => {
    const attempt = () =>
      parseConfig(
        {
          WARDWATCH_HTTP_PORT: '70000',
          DATABASE_URL: 'mysql://x',
          WARDWATCH_ADMIN_PASSWORD: 'short',
          WARDWATCH_DB_SCHEMA: 'Drop;',
        },
        '/x',
      );
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /WARDWATCH_HTTP_PORT[\s\S]*DATABASE_URL[\s\S]*WARDWATCH_DB_SCHEMA[\s\S]*WARDWATCH_ADMIN_PASSWORD|WARDWATCH_HTTP_PORT/,
    );
    try {
      attempt();
    } catch (error) {
      for (const name of ['WARDWATCH_HTTP_PORT', 'DATABASE_URL', 'WARDWATCH_ADMIN_PASSWORD', 'WARDWATCH_DB_SCHEMA'])
        expect(String(error)).toContain(name);
    }
  });
});

describe('HTTP TLS and allowed origins', () => {
  const http = (env: Record<string, string>) => parseConfig(env, '/srv/ww').http;

  it('stays plain HTTP on loopback, and serves TLS from its own CA beyond it', () => {
    expect(http({}).tls).toEqual({ kind: 'off' });
    expect(http({ WARDWATCH_HTTP_HOST: 'localhost' }).tls).toEqual({ kind: 'off' });
    expect(http({ WARDWATCH_HTTP_HOST: '[::1]' }).tls).toEqual({ kind: 'off' });
    expect(http({ WARDWATCH_HTTP_HOST: '0.0.0.0' }).tls).toEqual({ kind: 'own-ca' });
    expect(http({ WARDWATCH_HTTP_HOST: '::' }).tls).toEqual({ kind: 'own-ca' });
    expect(http({ WARDWATCH_HTTP_HOST: '10.1.2.3' }).tls).toEqual({ kind: 'own-ca' });
  });

  it('uses provided files (relative to the working folder), on loopback too; on and off are explicit', () => {
    const files = { WARDWATCH_HTTP_TLS_CERT_FILE: 'tls/cert.pem', WARDWATCH_HTTP_TLS_KEY_FILE: '/etc/ww/key.pem' };
    expect(http(files).tls).toEqual({ kind: 'files', certFile: '/srv/ww/tls/cert.pem', keyFile: '/etc/ww/key.pem' });
    expect(http({ WARDWATCH_HTTP_TLS: 'on' }).tls).toEqual({ kind: 'own-ca' });
    expect(http({ WARDWATCH_HTTP_TLS: 'off', WARDWATCH_HTTP_HOST: '0.0.0.0' }).tls).toEqual({ kind: 'off' });
    expect(() => http({ WARDWATCH_HTTP_TLS_CERT_FILE: 'c.pem' })).toThrow(/set both or neither/);
    expect(() => http({ WARDWATCH_HTTP_TLS: 'maybe' })).toThrow(ConfigError);
  });

  it('reads allowed origins, refusing anything that is not scheme://host[:port]', () => {
    expect(
      http({ WARDWATCH_HTTP_ALLOWED_ORIGINS: 'https://WW.example.org/, http://10.0.0.5:8443' }).allowedOrigins,
    ).toEqual(['https://ww.example.org', 'http://10.0.0.5:8443']);
    expect(() => http({ WARDWATCH_HTTP_ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(
      /WARDWATCH_HTTP_ALLOWED_ORIGINS: not an origin/,
    );
    expect(() => http({ WARDWATCH_HTTP_ALLOWED_ORIGINS: '*' })).toThrow(ConfigError);
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'ward-manager', '128.0.0.1'])
      expect(isLoopbackHost(host)).toBe(false);
  });
  it('hashes passwords with scrypt N = 2^17 unless told otherwise, and never below 2^14', () => {
    expect(parseConfig({}, '/srv/ww').passwordHashing).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(parseConfig({ WARDWATCH_PASSWORD_SCRYPT_LOG2N: '14' }, '/srv/ww').passwordHashing.N).toBe(2 ** 14);
    expect(() => parseConfig({ WARDWATCH_PASSWORD_SCRYPT_LOG2N: '13' }, '/srv/ww')).toThrow(ConfigError);
  });
});
