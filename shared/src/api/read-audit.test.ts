import { describe, expect, it } from 'vitest';
import { readAudit } from './read-audit';

const reads = (state: 'running' | 'failed' | 'stopped', message = '') => ({ name: 'collector.reads', state, message });
const rule = (state: 'running' | 'failed' | 'stopped', message = '') => ({
  name: 'collector.reads.rule',
  state,
  message,
});
const files = { name: 'collector.files', state: 'running' as const, message: '' };

describe('readAudit', () => {
  it('says audited only when the collector runs and the rules cover every patient-data folder', () => {
    expect(readAudit([files, reads('running'), rule('running')])).toEqual({ state: 'audited', detail: '' });
    expect(readAudit([reads('running')])).toEqual({
      state: 'audited',
      detail: 'the audit rules could not be checked',
    });
  });

  it('gives the agent reason where reads are not audited, or only in some folders', () => {
    expect(readAudit([files, reads('stopped', 'auditd not running')])).toEqual({
      state: 'not_audited',
      detail: 'auditd not running',
    });
    expect(readAudit([reads('failed')])).toEqual({ state: 'not_audited', detail: 'the reads collector failed' });
    expect(readAudit([reads('running'), rule('stopped', 'no audit read rule')])).toMatchObject({
      state: 'not_audited',
    });
    expect(readAudit([reads('running'), rule('failed', 'no audit read rule covers /srv/ehr')])).toEqual({
      state: 'partial',
      detail: 'no audit read rule covers /srv/ehr',
    });
  });

  it('does not guess without a heartbeat, or from an agent that does not say', () => {
    expect(readAudit(null).state).toBe('unknown');
    expect(readAudit([files]).state).toBe('unknown');
  });
});
