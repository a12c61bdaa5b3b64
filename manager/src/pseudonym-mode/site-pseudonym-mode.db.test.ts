// The site's pseudonym mode on SQLite and PostgreSQL: recorded once at the first start
// (OPRF for a new site, local-key for a site that has data and no record), kept after,
// a contradicting environment refused in one line, and the one deliberate switch audited.
import { describe, expect, it } from 'vitest';
import { AgentEntity } from '../agents/agent.entity';
import { AuditRepository } from '../audit/audit.repository';
import { ConfigError, parseConfig } from '../config/config.schema';
import { JsonLogger, type LogFields } from '../logging/json-logger';
import { databaseForTests } from '../testing/engine-database.fixture';
import { FakeClock } from '../testing/fakes/fakes';
import { testEngines } from '../testing/test-engines.fixture';
import { DEFAULT_PSEUDONYM_MODE } from './pseudonym-mode.decision';
import { resolveSitePseudonymMode } from './site-pseudonym-mode';
import { SiteSettingRepository } from './site-setting.repository';

describe.each(testEngines)('site pseudonym mode on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  const start = async (env: Record<string, string> = {}) => {
    const logs: LogFields[] = [];
    const log = new JsonLogger('debug', { write: (line) => logs.push(JSON.parse(line) as LogFields) });
    const { transactions, audit } = open.services;
    const resolved = await resolveSitePseudonymMode({
      config: parseConfig(env, '/tmp'),
      settings: new SiteSettingRepository(open.db),
      transactions,
      audit,
      clock: new FakeClock(1_800_000_000_000),
      log,
    });
    return { mode: resolved.mode, logs };
  };
  const refusal = (env: Record<string, string>) =>
    start(env).then(
      () => 'started',
      (error: unknown) => (error instanceof ConfigError ? error.message : `not a ConfigError: ${String(error)}`),
    );
  const auditRows = async () =>
    (await new AuditRepository(open.db).list(50))
      .filter((r) => r.action.startsWith('site.pseudonym_mode'))
      .map((r) => [r.action, r.details])
      .reverse();
  const reset = async () => {
    await open.db.query('DELETE FROM site_setting');
    await open.db.query('DELETE FROM agent');
  };

  it.skipIf(skip)(
    'a new site that asks for oprf records it once; later starts keep it; a contrary env var fails the start',
    async () => {
      await reset();
      expect((await start({ WARDWATCH_PSEUDONYM_MODE: 'oprf' })).mode).toBe('oprf');
      await open.db.getRepository(AgentEntity).insert(agentRow('a-1'));
      expect((await start()).mode).toBe('oprf');
      expect((await start({ WARDWATCH_PSEUDONYM_MODE: 'oprf' })).mode).toBe('oprf');
      const refused = await refusal({ WARDWATCH_PSEUDONYM_MODE: 'local-key' });
      expect(refused).toMatch(
        /^WARDWATCH_PSEUDONYM_MODE=local-key, but this site's pseudonyms are recorded in oprf mode/,
      );
      expect(refused).not.toContain('\n');
      // The switch leads only to OPRF: it cannot take an OPRF site back.
      expect((await start({ WARDWATCH_PSEUDONYM_MODE_SWITCH: 'local-key-to-oprf' })).mode).toBe('oprf');
      expect(await auditRows()).toEqual([['site.pseudonym_mode_record', { mode: 'oprf', why: 'new_site' }]]);
    },
  );

  it.skipIf(skip)(
    'a new site with no mode set records oprf (the default); one that asks for local-key records that',
    async () => {
      await reset();
      expect(DEFAULT_PSEUDONYM_MODE).toBe('oprf');
      expect((await start()).mode).toBe('oprf');
      expect((await auditRows()).slice(-1)).toEqual([
        ['site.pseudonym_mode_record', { mode: 'oprf', why: 'new_site' }],
      ]);
      await reset();
      expect((await start({ WARDWATCH_PSEUDONYM_MODE: 'local-key' })).mode).toBe('local-key');
      // The record holds at the next start without the variable, whatever the default.
      expect((await start()).mode).toBe('local-key');
      expect((await auditRows()).slice(-1)).toEqual([
        ['site.pseudonym_mode_record', { mode: 'local-key', why: 'new_site' }],
      ]);
    },
  );

  it.skipIf(skip)(
    'an existing site without a record stays local-key, says how to switch, and switches on purpose',
    async () => {
      await reset();
      await open.db.getRepository(AgentEntity).insert(agentRow('a-2'));
      const first = await start();
      expect(first.mode).toBe('local-key');
      const told = first.logs.filter((l) => l.level === 'warn');
      expect(told).toHaveLength(1);
      expect(String(told[0].msg)).toContain('WARDWATCH_PSEUDONYM_MODE_SWITCH=local-key-to-oprf');
      expect(await refusal({ WARDWATCH_PSEUDONYM_MODE: 'oprf' })).toMatch(
        /^WARDWATCH_PSEUDONYM_MODE=oprf, but this site's pseudonyms are recorded in local-key mode; to move it to OPRF on purpose set WARDWATCH_PSEUDONYM_MODE_SWITCH/,
      );
      expect(
        await refusal({ WARDWATCH_PSEUDONYM_MODE: 'local-key', WARDWATCH_PSEUDONYM_MODE_SWITCH: 'local-key-to-oprf' }),
      ).toMatch(/contradicts/);
      const switched = await start({
        WARDWATCH_PSEUDONYM_MODE: 'oprf',
        WARDWATCH_PSEUDONYM_MODE_SWITCH: 'local-key-to-oprf',
      });
      expect(switched.mode).toBe('oprf');
      expect((await start()).mode).toBe('oprf');
      const rows = await auditRows();
      expect(rows.slice(-2)).toEqual([
        ['site.pseudonym_mode_record', { mode: 'local-key', why: 'existing_site' }],
        ['site.pseudonym_mode_switch', { from: 'local-key', to: 'oprf' }],
      ]);
    },
  );

  it.skipIf(skip)('an existing site that ran in OPRF by its env var records oprf', async () => {
    await reset();
    await open.db.getRepository(AgentEntity).insert(agentRow('a-3'));
    const started = await start({ WARDWATCH_PSEUDONYM_MODE: 'oprf' });
    expect(started.mode).toBe('oprf');
    expect(started.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it.skipIf(skip)('refuses a recorded value it did not write', async () => {
    await reset();
    await open.db.query("INSERT INTO site_setting (name, value, recorded_at) VALUES ('pseudonym_mode', 'none', 1)");
    expect(await refusal({})).toMatch(/unreadable/);
  });
});

function agentRow(id: string): AgentEntity {
  return {
    id,
    hostname: 'ward3-ws12',
    os: 'linux',
    osVersion: '6',
    version: '0.1.0',
    status: 'offline',
    enrolledAt: 1,
    lastSeenAt: null,
    certFingerprint: id,
    stats: null,
  };
}
