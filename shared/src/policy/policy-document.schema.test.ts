import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './default-policy';
import { PolicyCreateRequest } from './policy-api.schema';
import { PolicyDocument } from './policy-document.schema';

function issuesOf(input: unknown): Record<string, string> {
  const parsed = PolicyDocument.safeParse(input);
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('PolicyDocument', () => {
  it('accepts the shipped default: baseline, elevated, lockdown, rising strictness', () => {
    const doc = PolicyDocument.parse(DEFAULT_POLICY);
    expect(doc.tiers.map((t) => t.id)).toEqual(['baseline', 'elevated', 'lockdown']);
    const [baseline, , lockdown] = doc.tiers;
    expect(lockdown.settings.removableMedia).toBe('blocked');
    expect(lockdown.settings.idleLockSeconds).toBeLessThan(baseline.settings.idleLockSeconds);
    expect(lockdown.settings.sealing.enabled).toBe(true);
  });

  it('names each problem by its field', () => {
    const bad = structuredClone(DEFAULT_POLICY) as unknown as {
      tiers: { id: string; name: string; settings: Record<string, unknown> }[];
    };
    bad.tiers[0].settings.removableMedia = 'sometimes';
    bad.tiers[0].settings.idleLockSeconds = -1;
    (bad.tiers[2].settings.sealing as { folders: string[] }).folders = ['relative/path', '/srv/../etc'];
    (bad.tiers[2].settings.managerLink as { ciphers: string[] }).ciphers = ['AES; rm -rf'];
    const issues = issuesOf(bad);
    expect(Object.keys(issues).sort()).toEqual([
      'tiers.0.settings.idleLockSeconds',
      'tiers.0.settings.removableMedia',
      'tiers.2.settings.managerLink.ciphers.0',
      'tiers.2.settings.sealing.folders.0',
      'tiers.2.settings.sealing.folders.1',
    ]);
  });

  it('unsealOnDrop: off when a document leaves it out, a boolean otherwise', () => {
    const older = structuredClone(DEFAULT_POLICY) as unknown as { tiers: { settings: { sealing: object } }[] };
    older.tiers[0].settings.sealing = { enabled: false, folders: ['~/Downloads'] };
    expect(PolicyDocument.parse(older).tiers[0].settings.sealing.unsealOnDrop).toBe(false);
    (older.tiers[0].settings.sealing as { unsealOnDrop: unknown }).unsealOnDrop = 'yes';
    expect(Object.keys(issuesOf(older))).toEqual(['tiers.0.settings.sealing.unsealOnDrop']);
  });

  it('refuses a second tier with the same id or name (case aside)', () => {
    const [first, second, third] = DEFAULT_POLICY.tiers;
    const issues = issuesOf({ tiers: [first, { ...second, id: 'baseline' }, { ...third, name: 'BASELINE' }] });
    expect(issues).toEqual({ 'tiers.1.id': 'tier ids must differ', 'tiers.2.name': 'tier names must differ' });
  });

  it('refuses unknown fields, no tier and too many tiers', () => {
    expect(issuesOf({ tiers: [] })).toHaveProperty('tiers');
    const tier = DEFAULT_POLICY.tiers[0];
    const nine = Array.from({ length: 9 }, (_, i) => ({ ...tier, id: `t${i}`, name: `T${i}` }));
    expect(issuesOf({ tiers: nine })).toHaveProperty('tiers');
    expect(issuesOf({ tiers: [{ ...tier, settings: { ...tier.settings, extra: 1 } }] })).toHaveProperty(
      'tiers.0.settings',
    );
  });

  it('a create request keeps an empty comment and the base version', () => {
    const parsed = PolicyCreateRequest.parse({ baseVersion: 3, document: DEFAULT_POLICY });
    expect(parsed.comment).toBe('');
    expect(parsed.baseVersion).toBe(3);
  });
});
