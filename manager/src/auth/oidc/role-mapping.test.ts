import { describe, expect, it } from 'vitest';
import { parseRoleMap } from '../../config/oidc-settings';
import { claimValues, mapRole, MAX_CLAIM_VALUES } from './role-mapping';

const rules = parseRoleMap('ward-it=it_staff, soc=analyst, ww-admins=admin, dpo=privacy_officer');
if (typeof rules === 'string') throw new Error(rules);

describe('mapRole', () => {
  it('grants the most privileged mapped role, whatever the order of the values', () => {
    expect(mapRole(['ward-it', 'ww-admins'], rules)).toBe('admin');
    expect(mapRole(['ww-admins', 'ward-it'], rules)).toBe('admin');
    expect(mapRole(['dpo', 'soc'], rules)).toBe('analyst');
  });

  it('reads a single string claim', () => {
    expect(mapRole('dpo', rules)).toBe('privacy_officer');
  });

  it('grants nothing without a mapped value', () => {
    expect(mapRole(['nurses'], rules)).toBeUndefined();
    expect(mapRole(undefined, rules)).toBeUndefined();
    expect(mapRole({ 'ww-admins': true }, rules)).toBeUndefined();
    // Case matters: "WW-ADMINS" is another group at the provider.
    expect(mapRole(['WW-ADMINS'], rules)).toBeUndefined();
  });

  it('ignores non-string values and reads a bounded number of them', () => {
    expect(claimValues(['soc', 7, null, { a: 1 }])).toEqual(['soc']);
    const many = [...Array.from({ length: MAX_CLAIM_VALUES }, (_, i) => `g${i}`), 'ww-admins'];
    expect(mapRole(many, rules)).toBeUndefined();
  });
});

describe('parseRoleMap', () => {
  it('refuses unknown roles, duplicates, malformed pairs and an empty map', () => {
    expect(parseRoleMap('a=root')).toMatch(/not a role/);
    expect(parseRoleMap('a=admin,a=analyst')).toMatch(/mapped twice/);
    expect(parseRoleMap('admin')).toMatch(/not value=role/);
    expect(parseRoleMap(' , ')).toMatch(/at least one/);
  });

  it('keeps an = inside the claim value (only the last one separates the role)', () => {
    expect(parseRoleMap('CN=Admins,OU=IT=admin')).toMatch(/not a role/);
    expect(parseRoleMap('CN=Admins=admin')).toEqual([{ claimValue: 'CN=Admins', role: 'admin' }]);
  });
});
