import { describe, expect, it } from 'vitest';
import { PortableEvent, type PortableEventInput } from '@wardwatch/shared';
import { DEFAULT_RULES_DIR, loadRules, parseRuleText, RuleLoadError } from './load-rules';
import { RuleEngine } from './rule-engine';

/** One kind's own fields (Omit over each member of the union, not over their common keys). */
type KindFields<T> = T extends unknown ? Omit<T, 'v' | 'time' | 'host' | 'user'> : never;

const ev = (time: number, fields: KindFields<PortableEventInput> & { host?: string; user?: string }) =>
  PortableEvent.parse({ v: 1, time, host: 'ws1', user: 'u1', ...fields });

async function engine() {
  return new RuleEngine(await loadRules(DEFAULT_RULES_DIR));
}
const fired = (e: RuleEngine, events: PortableEvent[]) => [
  ...new Set(events.flatMap((x) => e.observe(x)).map((h) => h.ruleId)),
];

describe('detection rules', () => {
  it('loads every shipped rule', async () => {
    expect((await engine()).ruleIds.sort()).toEqual(
      [
        'brute-force',
        'credential-dumping',
        'encrypted-write-burst',
        'many-workstations',
        'mass-copy-removable',
        'mass-deletion',
        'mass-rename',
        'password-spray',
        'ransomware-burst',
        'shadow-copy-deletion',
      ].sort(),
    );
  });

  it('fires on each attack pattern', async () => {
    const e = await engine();
    const t = 1_000_000;
    expect(
      fired(
        e,
        Array.from({ length: 12 }, (_, i) => ev(t + i * 1000, { kind: 'failed_logon' })),
      ),
    ).toEqual(['brute-force']);
    expect(
      fired(
        e,
        Array.from({ length: 9 }, (_, i) =>
          ev(t + i * 1000, { kind: 'failed_logon', user: `v${i}`, sourceIp: '10.1.1.1' }),
        ),
      ),
    ).toEqual(['password-spray']);
    const burst = Array.from({ length: 30 }, (_, i) =>
      ev(t + i * 100, {
        kind: 'file_write',
        path: `/phi/${i}.dat`,
        folderClass: 'phi',
        extension: 'dat',
        entropy: 7.9,
      }),
    );
    expect(fired(e, burst)).toEqual(['encrypted-write-burst']);
    expect(
      fired(
        e,
        Array.from({ length: 120 }, (_, i) =>
          ev(t + i * 100, { kind: 'file_delete', path: `/phi/${i}`, folderClass: 'phi' }),
        ),
      ),
    ).toEqual(['mass-deletion']);
    expect(
      fired(
        e,
        Array.from({ length: 60 }, (_, i) =>
          ev(t + i * 1000, {
            kind: 'file_copy',
            path: `/phi/${i}`,
            folderClass: 'phi',
            targetPath: `/media/u/${i}`,
            targetFolderClass: 'removable',
          }),
        ),
      ),
    ).toEqual(['mass-copy-removable']);
    expect(
      fired(e, [
        ev(t, {
          kind: 'process_start',
          executable: 'C:\\Windows\\System32\\wbem\\WMIC.exe',
          commandLine: 'wmic shadowcopy where "ID=1" delete',
        }),
      ]),
    ).toEqual(['shadow-copy-deletion']);
    expect(
      fired(e, [
        ev(t, {
          kind: 'process_start',
          executable: 'C:\\t\\procdump64.exe',
          commandLine: 'procdump64.exe -ma lsass.exe out.dmp',
        }),
      ]),
    ).toEqual(['credential-dumping']);
    expect(fired(e, [ev(t, { kind: 'process_start', executable: 'C:\\t\\Mimikatz.EXE' })])).toEqual([
      'credential-dumping',
    ]);
    expect(
      fired(
        e,
        Array.from({ length: 7 }, (_, i) => ev(t + i * 60_000, { kind: 'logon', host: `ws${i}`, user: 'roamer' })),
      ),
    ).toEqual(['many-workstations']);
  });

  it('stays quiet on benign look-alikes', async () => {
    const e = await engine();
    const t = 1_000_000;
    const benign = [
      ...Array.from({ length: 5 }, (_, i) => ev(t + i * 60_000, { kind: 'failed_logon' })),
      ...Array.from({ length: 12 }, (_, i) =>
        ev(t + i * 3_600_000, { kind: 'failed_logon', user: `v${i}`, sourceIp: '10.1.1.1' }),
      ),
      ...Array.from({ length: 40 }, (_, i) =>
        ev(t + i * 100, {
          kind: 'file_write',
          path: `/phi/${i}.zip`,
          folderClass: 'phi',
          extension: 'zip',
          entropy: 7.99,
        }),
      ),
      ev(t, {
        kind: 'process_start',
        executable: 'C:\\Windows\\System32\\vssadmin.exe',
        commandLine: 'vssadmin list shadows',
      }),
      ev(t, { kind: 'process_start', executable: 'C:\\t\\procdump.exe', commandLine: 'procdump -ma ehr.exe' }),
      ...Array.from({ length: 4 }, (_, i) => ev(t + i * 60_000, { kind: 'logon', host: `ws${i}`, user: 'roamer' })),
    ];
    expect(fired(e, benign)).toEqual([]);
  });

  it('refuses broken rule files with a clear message', () => {
    expect(() =>
      parseRuleText(
        'id: Bad Id\ntitle: x\nseverity: high\ndetection: {a: {kind: logon}, condition: a}\nreason: r',
        'bad.yaml',
      ),
    ).toThrow(/bad.yaml: id/);
    expect(() =>
      parseRuleText(
        'id: x\ntitle: x\nseverity: high\ndetection: {a: {kind: logon}, condition: a or b}\nreason: r',
        'b.yaml',
      ),
    ).toThrow(/unknown selection "b"/);
    expect(() =>
      parseRuleText(
        'id: x\ntitle: x\nseverity: high\ndetection: {a: {kind|sounds: logon}, condition: a}\nreason: r',
        'c.yaml',
      ),
    ).toThrow(RuleLoadError);
    expect(() => parseRuleText('id: [', 'd.yaml')).toThrow(/not valid YAML/);
  });
});
