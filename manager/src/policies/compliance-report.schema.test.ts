import type { PolicyCompliance } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { complianceStatus } from './compliance-status';
import { readComplianceReport } from './compliance-report.schema';

const honest: PolicyCompliance = {
  revision: 3,
  policyVersion: 2,
  tier: 'elevated',
  applied: true,
  errors: [],
  diskEncryption: { state: 'encrypted', detail: 'FileVault is on' },
  settings: [
    { name: 'idle_lock', state: 'applied', detail: 'logind locks after 300 s idle' },
    { name: 'disk_encryption', state: 'applied', detail: 'FileVault is on' },
  ],
  reportedAtMs: 1_796_370_000_000,
};

describe('a compliance report from a hostile agent', () => {
  it('stores an honest report as sent', () => {
    expect(readComplianceReport(honest)).toMatchObject({ ok: true, report: { revision: 3, tier: 'elevated' } });
  });

  it.each([
    ['too many errors', { errors: Array.from({ length: 17 }, () => 'x') }, 'too many errors'],
    ['too many settings', { settings: Array.from({ length: 17 }, () => honest.settings[0]) }, 'too many settings'],
    ['a long error', { errors: ['x'.repeat(301)] }, 'errors.0'],
    ['an unknown setting', { settings: [{ name: 'bitcoin', state: 'applied', detail: '' }] }, 'settings.0.name'],
    ['an unknown state', { settings: [{ name: 'idle_lock', state: 'mostly', detail: '' }] }, 'settings.0.state'],
    ['a tier that is not an id', { tier: '<script>' }, 'tier'],
    ['a disk state of its own', { diskEncryption: { state: 'trust me', detail: '' } }, 'diskEncryption.state'],
  ])('refuses %s', (_what, change, reason) => {
    const read = readComplianceReport({ ...honest, ...change });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toContain(reason);
  });
});

describe('complianceStatus', () => {
  const report = readComplianceReport(honest);
  if (!report.ok) throw new Error('honest report refused');

  it('compliant only at the assigned revision with nothing failed or unenforced', () => {
    expect(complianceStatus(3, report.report)).toEqual({ status: 'compliant', problems: [] });
    expect(complianceStatus(4, report.report).status).toBe('pending');
    expect(complianceStatus(3, null).status).toBe('unknown');
  });

  it('names what is wrong', () => {
    const unenforced = {
      ...report.report,
      settings: [{ name: 'sealing' as const, state: 'not_enforced' as const, detail: '' }],
    };
    expect(complianceStatus(3, unenforced)).toEqual({ status: 'non_compliant', problems: ['sealing: not enforced'] });
    const failed = { ...report.report, applied: false, errors: ['idle_lock: EACCES'] };
    expect(complianceStatus(4, failed)).toEqual({ status: 'non_compliant', problems: ['idle_lock: EACCES'] });
  });
});
