import { describe, expect, it } from 'vitest';
import { auditExportHref, auditQuery, EMPTY_AUDIT_FILTER, localToMs } from './audit-filter';

describe('audit filter', () => {
  it('leaves out empty fields and trims text', () => {
    expect(auditQuery(EMPTY_AUDIT_FILTER, { limit: 50 })).toBe('limit=50');
    expect(auditQuery({ ...EMPTY_AUDIT_FILTER, actor: ' admin ', action: 'user.create' }, { beforeSeq: '9' })).toBe(
      'actor=admin&action=user.create&beforeSeq=9',
    );
  });

  it('reads local date-times, the "to" minute included whole', () => {
    const from = '2026-12-02T10:00';
    const to = '2026-12-02T11:30';
    const query = new URLSearchParams(auditQuery({ ...EMPTY_AUDIT_FILTER, from, to }));
    expect(Number(query.get('fromMs'))).toBe(new Date(from).getTime());
    expect(Number(query.get('toMs'))).toBe(new Date(to).getTime() + 59_999);
    expect(localToMs('not a date')).toBeUndefined();
  });

  it('exports the same filter in the chosen format', () => {
    expect(auditExportHref({ ...EMPTY_AUDIT_FILTER, actor: 'a&b' }, 'csv')).toBe(
      '/api/v1/audit/export?actor=a%26b&format=csv',
    );
  });
});
