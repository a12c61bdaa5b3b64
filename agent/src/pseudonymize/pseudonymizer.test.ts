import { randomBytes } from 'node:crypto';
import { Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { pseudonymizeEvent } from './pseudonymize-event';
import { Pseudonymizer } from './pseudonymizer';

const key = Buffer.alloc(32, 7);

describe('Pseudonymizer', () => {
  it('is stable for one key and differs between keys', () => {
    const a = new Pseudonymizer(key);
    const b = new Pseudonymizer(randomBytes(32));
    expect(a.user('nurse.jones')).toBe(new Pseudonymizer(Buffer.from(key)).user('nurse.jones'));
    expect(a.user('nurse.jones')).toMatch(/^u_[0-9a-f]{16}$/);
    expect(a.user('nurse.jones')).not.toBe(b.user('nurse.jones'));
    expect(a.user('nurse.jones')).not.toBe(a.user('nurse.smith'));
  });

  it('separates kinds, keeps empty values empty and refuses a short key', () => {
    const p = new Pseudonymizer(key);
    expect(p.path('x').slice(2)).not.toBe(p.user('x').slice(2));
    expect(p.ip('203.0.113.7')).toMatch(/^ip_[0-9a-f]{16}$/);
    expect(p.user('')).toBe('');
    expect(() => new Pseudonymizer(Buffer.alloc(8))).toThrow(/at least 16 bytes/);
  });
});

describe('pseudonymizeEvent', () => {
  const p = new Pseudonymizer(key);

  it('hides path, owner and user of a file event but keeps class, extension and depth', () => {
    const event: Event = {
      id: '1',
      timeMs: 1,
      severity: Severity.SEVERITY_LOW,
      user: 'dr.house',
      detail: {
        $case: 'file',
        value: {
          action: 'rename',
          path: '/srv/records/ward3/discharge.pdf',
          previousPath: '/srv/records/ward3/tmp123.pdf',
          folderClass: 'phi',
          extension: '.pdf',
          depth: 2,
          sizeBytes: 2048,
          entropy: 4.5,
          owner: 'dr.house',
          process: '',
        },
      },
    };
    const out = pseudonymizeEvent(event, p);
    const text = JSON.stringify(out);
    for (const secret of ['discharge', 'records', 'house', 'tmp123']) expect(text).not.toContain(secret);
    expect(out.detail?.$case).toBe('file');
    if (out.detail?.$case !== 'file') return;
    expect(out.detail.value).toMatchObject({ folderClass: 'phi', extension: '.pdf', depth: 2, sizeBytes: 2048, entropy: 4.5 });
    expect(out.detail.value.path).toBe(p.path('/srv/records/ward3/discharge.pdf'));
    expect(out.user).toBe(p.user('dr.house'));
    expect(out.detail.value.owner).toBe(out.user);
    expect(event.user).toBe('dr.house'); // the input is not mutated
  });

  it('hides user, target user, source host and address of a login, and drops the raw line', () => {
    const event: Event = {
      id: '2',
      timeMs: 2,
      severity: Severity.SEVERITY_MEDIUM,
      user: 'nurse.jones',
      detail: {
        $case: 'login',
        value: {
          action: 'failed_logon',
          method: 'password',
          service: 'sshd',
          tty: 'ssh',
          sourceHost: 'ward3-ws12.hospital.local',
          sourceIp: '203.0.113.7',
          sourcePort: 52114,
          targetUser: 'root',
          raw: 'Failed password for nurse.jones from 203.0.113.7',
        },
      },
    };
    const out = pseudonymizeEvent(event, p);
    const text = JSON.stringify(out);
    for (const secret of ['nurse', '203.0.113.7', 'ward3', '"root"']) expect(text).not.toContain(secret);
    if (out.detail?.$case !== 'login') throw new Error('not a login');
    expect(out.detail.value).toMatchObject({ action: 'failed_logon', method: 'password', service: 'sshd', sourcePort: 52114, raw: '' });
    expect(out.detail.value.sourceIp).toBe(p.ip('203.0.113.7'));
  });
});
