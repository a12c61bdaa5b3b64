import type { EventView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { eventSummary } from './event-summary';

const event = (category: EventView['category'], detail: Record<string, unknown>, user = 'u_3f2a'): EventView => ({
  id: 'e1',
  agentId: 'a1',
  hostname: 'ward3-ws12',
  timeMs: 0,
  receivedMs: 0,
  severity: 'info',
  user,
  category,
  action: typeof detail.action === 'string' ? detail.action : '?',
  detail,
});

describe('eventSummary', () => {
  it('says what happened to a file, with who, size and entropy', () => {
    const written = event('file', {
      action: 'write',
      path: 'p_91/chart.docx',
      folderClass: 'phi',
      sizeBytes: 12_345,
      entropy: 7.94,
      process: 'soffice.bin',
      pid: 4242,
    });
    expect(eventSummary(written)).toBe(
      'u_3f2a wrote p_91/chart.docx by soffice.bin (pid 4242) (phi folder, 12,345 bytes, entropy 7.9)',
    );
    expect(eventSummary(event('file', { action: 'rename', path: 'p_1/b', previousPath: 'p_1/a', entropy: -1 }))).toBe(
      'u_3f2a renamed p_1/a to p_1/b',
    );
    expect(eventSummary(event('file', { action: 'copy', path: 'p_2/c', previousPath: 'p_1/c', sizeBytes: 900 }))).toBe(
      'u_3f2a copied p_1/c to p_2/c (900 bytes)',
    );
    // A read's size is not measured (-1).
    const read = { action: 'read', path: 'p_1/c', folderClass: 'phi', sizeBytes: -1, entropy: -1, process: 'evince' };
    expect(eventSummary(event('file', read))).toBe('u_3f2a read p_1/c by evince (phi folder)');
  });

  it('tells sign-ins, failures and privilege use apart', () => {
    expect(
      eventSummary(
        event('login', { action: 'failed_logon', service: 'sshd', sourceIp: '10.0.0.7', method: 'password' }),
      ),
    ).toBe('u_3f2a failed to sign in to sshd from 10.0.0.7 (password)');
    expect(eventSummary(event('login', { action: 'logoff', service: 'gdm' }))).toBe('u_3f2a signed out of gdm');
    expect(eventSummary(event('login', { action: 'privilege_use', service: 'sudo', targetUser: 'root' }))).toBe(
      'u_3f2a used privileges through sudo as root',
    );
    expect(eventSummary(event('login', { action: 'logon' }, ''))).toBe('someone signed in');
  });

  it('names the program of a process and the device of a connect', () => {
    expect(eventSummary(event('process', { action: 'stop', executable: '/usr/bin/bash', pid: 77 }, 'root'))).toBe(
      '/usr/bin/bash ended (pid 77) for root',
    );
    expect(
      eventSummary(event('device', { action: 'connect', deviceType: 'usb-storage', vendor: 'Kingston', model: 'DT' })),
    ).toBe('usb-storage "Kingston DT" connected (u_3f2a signed in)');
    expect(
      eventSummary(
        event('network', { action: 'connect', process: 'curl', remoteAddress: '203.0.113.9', remotePort: 443 }),
      ),
    ).toBe('u_3f2a curl connected to 203.0.113.9:443');
  });

  it('stays short and plain whatever a hostile agent sends', () => {
    const hostile = event('file', {
      action: 'write',
      path: `${'A'.repeat(5_000)}\n<script>`,
      sizeBytes: Number.POSITIVE_INFINITY,
      pid: { toString: 'x' },
      process: ['not', 'a', 'string'],
    });
    const summary = eventSummary(hostile);
    expect(summary.length).toBeLessThanOrEqual(201);
    expect(summary).not.toContain('\n');
    expect(summary).not.toContain('Infinity');
    expect(summary).not.toContain('[object');
    expect(eventSummary(event('file', {}, ''))).not.toBe('');
  });
});
