// Failed logons without an account: one unknown account per source, so the
// per-account rules never add up attempts from different sources.
import { type Event, type FileActivity, type LoginActivity } from '@wardwatch/proto';
import { formatPortableLine, PortableEvent } from '@wardwatch/shared';
import { fileEvent } from '../../outbox/test-events.fixture';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRules } from '../rules/load-rules';
import { RuleEngine } from '../rules/rule-engine';
import { eventToPortable } from './event-to-portable';

const t0 = Date.UTC(2026, 10, 22, 10);

function failed(i: number, user: string, login: Partial<LoginActivity>): Event {
  return {
    id: `e${i}`,
    timeMs: t0 + i * 10_000,
    sequence: 0,
    severity: 0,
    user,
    detail: {
      $case: 'login',
      value: {
        action: 'failed_logon',
        method: 'pam',
        service: 'sshd',
        tty: '',
        sourceHost: '',
        sourceIp: '',
        sourcePort: 0,
        targetUser: '',
        raw: '',
        ...login,
      },
    },
  };
}

function portable(event: Event): PortableEvent {
  const mapped = eventToPortable(event, 'ws1');
  if (!('event' in mapped)) throw new Error(mapped.skipped);
  return PortableEvent.parse(mapped.event);
}

describe('eventToPortable, failed logons without an account', () => {
  it('gives each source its own unknown account, and keeps a named one as it is', () => {
    expect(portable(failed(1, '', { sourceIp: '203.0.113.5' })).user).toBe('(unknown from 203.0.113.5)');
    expect(portable(failed(2, '', { sourceHost: 'scan.example.net' })).user).toBe('(unknown from scan.example.net)');
    expect(portable(failed(3, '', { service: 'login', tty: 'tty2' })).user).toBe('(unknown from tty tty2)');
    expect(portable(failed(4, 'root', { sourceIp: '203.0.113.5' })).user).toBe('root');
    // No '@': the pseudonym's canonical form would cut the source off and merge them again.
    expect(portable(failed(5, '', { sourceHost: 'a@b\\c' })).user).toBe('(unknown from a_b_c)');
  });

  it('never trips brute force for an account made of attempts from several sources', async () => {
    const engine = new RuleEngine(await loadRules(DEFAULT_RULES_DIR));
    const hits = [];
    // 18 failures without an account from three sources, six each: below the per-account threshold of 10.
    for (let i = 0; i < 18; i++) {
      hits.push(...engine.observe(portable(failed(i, '', { sourceIp: `198.51.100.${1 + (i % 3)}` }))));
    }
    expect(hits.filter((h) => h.ruleId === 'brute-force')).toEqual([]);
    // Twelve more from one source: that source's unknown account is brute-forced.
    for (let i = 18; i < 30; i++) hits.push(...engine.observe(portable(failed(i, '', { sourceIp: '192.0.2.99' }))));
    expect(hits.filter((h) => h.ruleId === 'brute-force').map((h) => h.users)).toEqual([['(unknown from 192.0.2.99)']]);
  });
});

describe('eventToPortable, file events', () => {
  const file = (action: string, extra: Partial<FileActivity> = {}): Event => ({
    ...fileEvent('f1', 'phi'),
    timeMs: t0,
    user: 'u_1',
    detail: {
      $case: 'file',
      value: { ...(fileEvent('f1', 'phi').detail as { value: FileActivity }).value, action, ...extra },
    },
  });

  it('maps each action to its kind with the same fields, in the same order, valid for the portable schema', () => {
    const lines = ['create', 'write', 'delete', 'rename', 'read'].map((action) => {
      const mapped = eventToPortable(
        file(action, { extension: '.pdf', sizeBytes: 12, entropy: 7.9, previousPath: 'p_old' }),
        'h',
      );
      if (!('event' in mapped)) throw new Error('skipped');
      expect(PortableEvent.safeParse(mapped.event).success).toBe(true);
      return formatPortableLine(mapped.event);
    });
    const common = `"time":"${new Date(t0).toISOString()}","host":"h","user":"u_1"`;
    const fields = '"path":"/x/f1","folderClass":"phi","extension":".pdf","sizeBytes":12,"entropy":7.9';
    expect(lines).toEqual([
      `{"v":1,${common},"kind":"file_create",${fields}}`,
      `{"v":1,${common},"kind":"file_write",${fields}}`,
      `{"v":1,${common},"kind":"file_delete",${fields}}`,
      `{"v":1,${common},"kind":"file_rename",${fields},"previousPath":"p_old"}`,
      `{"v":1,${common},"kind":"file_read",${fields}}`,
    ]);
    // A read's size and entropy are not measured (-1): left out.
    const read = eventToPortable(file('read', { sizeBytes: -1, entropy: -1 }), 'h');
    expect('event' in read && read.event).toEqual({
      v: 1,
      time: t0,
      host: 'h',
      user: 'u_1',
      kind: 'file_read',
      path: '/x/f1',
      folderClass: 'phi',
      extension: undefined,
      sizeBytes: undefined,
      entropy: undefined,
    });
  });

  it('maps a copy to a copy of the patient file it names, into the folder it was found in', () => {
    const copy = file('copy', {
      path: '/media/stick/f1.pdf',
      folderClass: 'removable',
      previousPath: '/phi/icu/f1.pdf',
    });
    const mapped = eventToPortable(copy, 'h');
    expect('event' in mapped && mapped.event).toMatchObject({
      kind: 'file_copy',
      path: '/phi/icu/f1.pdf',
      folderClass: 'phi',
      targetPath: '/media/stick/f1.pdf',
      targetFolderClass: 'removable',
    });
    expect('event' in mapped && PortableEvent.safeParse(mapped.event).success).toBe(true);
    // Without its source it is not a copy the scorer can use.
    expect(eventToPortable(file('copy', { previousPath: '' }), 'h')).toEqual({ skipped: 'file_copy' });
  });

  it('maps a patient file moved out of the patient-data folders to a copy out; other renames stay renames', () => {
    const moved = (previousFolderClass: string | undefined, folderClass: string) =>
      eventToPortable(
        file('rename', {
          path: '/home/u/OneDrive/f1.pdf',
          folderClass,
          previousPath: '/phi/icu/f1.pdf',
          previousFolderClass,
        }),
        'h',
      );
    const out = moved('phi', 'other');
    expect('event' in out && out.event).toMatchObject({
      kind: 'file_copy',
      path: '/phi/icu/f1.pdf',
      folderClass: 'phi',
      targetPath: '/home/u/OneDrive/f1.pdf',
      targetFolderClass: 'other',
    });
    expect('event' in out && PortableEvent.safeParse(out.event).success).toBe(true);
    // Within the patient-data folders, into them, or from an unwatched folder (an older agent): a rename.
    for (const [from, to] of [
      ['phi', 'phi'],
      ['other', 'phi'],
      ['other', 'other'],
      [undefined, 'other'],
    ] as const) {
      const mapped = moved(from, to);
      expect('event' in mapped && mapped.event).toMatchObject({ kind: 'file_rename' });
    }
  });

  it('leaves out what is unknown and skips an unknown action', () => {
    const mapped = eventToPortable(file('write', { path: '', extension: '', sizeBytes: -1, entropy: -1 }), 'h');
    expect('event' in mapped && mapped.event).toMatchObject({ path: '(unknown)', kind: 'file_write' });
    expect(JSON.stringify('event' in mapped && mapped.event)).not.toMatch(/extension|sizeBytes|entropy/);
    expect(eventToPortable(file('chmod'), 'h')).toEqual({ skipped: 'file_chmod' });
  });
});
