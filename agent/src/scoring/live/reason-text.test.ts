import { clearValueInText } from '@wardwatch/shared/pseudonyms';
import { describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../../pseudonymize/pseudonymizer';
import { parseRuleText } from '../rules/load-rules';
import { RuleEngine } from '../rules/rule-engine';
import { RiskModel } from '../model/risk-model';
import { scoringConfig } from '../../config/scoring-config';
import { FeatureExtractor, type PortableEvent } from '@wardwatch/shared';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { toScoreMessage } from './score-message';
import { safeReasonText } from './reason-text';

const pseudonyms = new Pseudonymizer(Buffer.alloc(32, 7));
const context = { pseudonyms, host: 'ward3-ws12', users: ['nurse.jones'] };
const base = { v: 1 as const, host: 'ward3-ws12', user: 'nurse.jones' };

/** Runs events through the shipped rules and returns the wire reasons of the last hit's score. */
async function wireReasons(events: PortableEvent[]): Promise<string[]> {
  const engine = new RuleEngine(await loadRules(DEFAULT_RULES_DIR));
  const extractor = new FeatureExtractor();
  const hits = events.flatMap((e) => {
    extractor.push(e);
    return engine.observe(e);
  });
  const window = extractor.peek(events[0].user)!;
  const result = RiskModel.rulesOnly(scoringConfig()).score(window, hits);
  const message = toScoreMessage(result, {
    pseudonyms,
    host: 'ward3-ws12',
    config: scoringConfig(),
    modelSource: 'none',
    now: 0,
  });
  expect(message.user).toBe(pseudonyms.user('nurse.jones'));
  return message.reasons.map((r) => r.text);
}

describe('reason texts that leave the workstation', () => {
  it('name no user, address, path or command line in clear', async () => {
    const t = 1_700_000_000_000;
    const spray = Array.from({ length: 8 }, (_, i): PortableEvent => ({
      ...base,
      time: t + i * 1000,
      user: i === 0 ? 'nurse.jones' : `clerk.${i}`,
      kind: 'failed_logon',
      sourceIp: '203.0.113.7',
    }));
    const texts = [
      ...(await wireReasons(spray)),
      ...(await wireReasons([
        {
          ...base,
          time: t,
          kind: 'process_start',
          executable: '/home/nurse.jones/Downloads/mimikatz',
          commandLine: '/home/nurse.jones/Downloads/mimikatz sekurlsa::logonpasswords',
        },
      ])),
      ...(await wireReasons([
        {
          ...base,
          time: t,
          kind: 'process_start',
          executable: 'C:\\Windows\\System32\\vssadmin.exe',
          commandLine: 'vssadmin.exe delete shadows /all /quiet /for=C:\\Users\\nurse.jones',
        },
      ])),
      ...(await wireReasons(
        Array.from({ length: 25 }, (_, i): PortableEvent => ({
          ...base,
          time: t + i * 100,
          kind: 'file_write',
          path: `/srv/phi/jones-${i}.docx.locked`,
          folderClass: 'phi',
          extension: 'locked',
          entropy: 7.9,
        })),
      )),
    ];
    const all = texts.join('\n');
    expect(texts.length).toBeGreaterThanOrEqual(4);
    for (const secret of [
      'nurse.jones',
      '203.0.113.7',
      '/home/',
      'Downloads',
      'C:\\Users',
      'sekurlsa',
      '/srv/phi',
      'ward3-ws12',
    ])
      expect(all).not.toContain(secret);
    expect(all).toContain(pseudonyms.ip('203.0.113.7'));
    expect(all).toContain('mimikatz'); // the tool's name is the evidence
    expect(all).toMatch(/vssadmin\.exe \(command line kept on the workstation\)/);
    expect(all).toMatch(/on this workstation/);
    // The manager's check of reason texts (the same patterns) finds no clear value.
    for (const text of texts) expect(clearValueInText(text), text).toBeUndefined();
  });

  it('keeps plain-language reasons intact and catches stray addresses and paths', () => {
    expect(safeReasonText("logged on at 02:10, outside this user's usual 07:00–19:00", undefined, context)).toBe(
      "logged on at 02:10, outside this user's usual 07:00–19:00",
    );
    expect(safeReasonText('wrote 214 files to a USB drive; usual is 0', {}, context)).toBe(
      'wrote 214 files to a USB drive; usual is 0',
    );
    const stray = safeReasonText('nurse.jones copied /media/usb/export.csv to 10.1.2.3 and fe80::1:2', {}, context);
    expect(clearValueInText('nurse.jones copied /media/usb/export.csv to 10.1.2.3')).toBe('ip');
    expect(clearValueInText(stray)).toBeUndefined();
    expect(stray).toBe(
      `${pseudonyms.user('nurse.jones')} copied ${pseudonyms.path('/media/usb/export.csv')} to ${pseudonyms.ip('10.1.2.3')} and ${pseudonyms.ip('fe80::1:2')}`,
    );
  });

  it('pseudonymises fields of a custom rule it does not know', () => {
    const rule = parseRuleText(
      'id: usb\ntitle: USB\nseverity: low\ndetection: { s: { kind: device_connect }, condition: s }\nreason: "device {deviceType} by {user} from {unit}"\n',
    );
    const hit = new RuleEngine([rule]).observe({
      ...base,
      time: 1,
      kind: 'device_connect',
      deviceType: 'usb-storage',
      removable: true,
      unit: 'Cardiology 3',
    })[0];
    expect(safeReasonText(hit.reason, hit.fields, context)).toBe(
      `device usb-storage by ${pseudonyms.user('nurse.jones')} from ${pseudonyms.path('Cardiology 3')}`,
    );
  });
});
