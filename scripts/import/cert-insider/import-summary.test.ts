import { describe, expect, it } from 'vitest';
import { PortableEvent } from '@wardwatch/shared';
import { emptySummary, formatSummary, noteSkipped, noteWritten } from './import-summary';

const event = (time: string, user: string, label?: string) =>
  PortableEvent.parse({ v: 1, time, host: 'PC-1', user, kind: 'logon', ...(label && { label }) });

describe('import summary', () => {
  it('counts labelled user-days by the UTC date, per scenario', () => {
    const s = emptySummary('r4.2', {});
    noteWritten(s, event('2010-01-04T23:59:00Z', 'U1', 'cert_scenario_1'));
    noteWritten(s, event('2010-01-05T00:01:00Z', 'U1', 'cert_scenario_1'));
    noteWritten(s, event('2010-01-05T08:00:00Z', 'U1', 'cert_scenario_1'));
    noteWritten(s, event('2010-01-05T08:00:00Z', 'U2', 'cert_scenario_2'));
    noteWritten(s, event('2010-01-05T08:00:00Z', 'U3'));
    expect(s.labelled.get('cert_scenario_1')).toEqual({
      events: 3,
      userDays: new Set(['U1\u00002010-01-04', 'U1\u00002010-01-05']),
    });
    expect(s.labelled.get('cert_scenario_2')?.userDays.size).toBe(1);
    expect(s.users.size).toBe(3);
  });

  it('counts a labelled row that is not written apart from the benign ones', () => {
    const s = emptySummary('r4.2', {});
    noteSkipped(s, 'email', 'cert_scenario_1');
    noteSkipped(s, 'email', undefined);
    expect(Object.fromEntries(s.skipped)).toEqual({ email: 2 });
    expect(Object.fromEntries(s.labelledNotWritten)).toEqual({ email: 1 });
  });

  it('prints every table and reason (zeros too), the period, and the lack of LDAP and answers', () => {
    const s = emptySummary('/data/r4.2', {
      from: Date.parse('2010-01-02T00:00:00Z'),
      until: Date.parse('2010-01-21T00:00:00Z'),
    });
    s.tables = {
      logon: { state: 'read', rows: 5, badRows: 1 },
      device: { state: 'absent' },
      http: { state: 'skipped' },
    };
    noteWritten(s, event('2010-01-04T08:00:00Z', 'U1'));
    noteSkipped(s, 'bad_row', undefined);
    const text = formatSummary(s);
    expect(text).toContain(
      'tables: logon.csv 5 rows (1 bad), device.csv absent, file.csv not read, http.csv skipped, email.csv not read',
    );
    expect(text).toContain('period: 2010-01-02 to 2010-01-21 (exclusive)');
    expect(text).toContain('events written: 1 (logon 1)');
    expect(text).toContain(
      'rows skipped: outside_period 0, email 0, file_open 0, bad_row 1, bad_url 0, unknown_activity 0, invalid 0',
    );
    expect(text).toContain('users: 1; no LDAP folder, so no roles or units');
    expect(text).toContain('answers: none given (no labels)');
  });
});
