// The path a USB event takes in the agent: collector → attribution → scoring (clear) →
// pipeline (pseudonymise) → outbox, with the session read from a real utmp file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Severity, type Event } from '@wardwatch/proto';
import { utmpFileSessions } from '../collectors/logins/sessions/utmp-file';
import { utmpRecord } from '../collectors/logins/sessions/utmp-record.fixture';
import { createMemoryLogger } from '../logging/logger';
import { MemoryOutbox } from '../outbox/memory-outbox';
import { fileEvent } from '../outbox/test-events.fixture';
import { EventPipeline } from '../pipeline/event-pipeline';
import { RecentEvents } from '../pipeline/recent-events';
import { ScoringSink } from '../pipeline/scoring-sink';
import { Pseudonymizer } from '../pseudonymize/pseudonymizer';
import { StatusTracker } from '../status/status-tracker';
import { ActiveSessionUser } from './active-session-user';
import { AttributionSink } from './attribution-sink';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A device event exactly as the devices collector emits it: nobody named. */
const usbConnect = (id: string): Event => ({
  id,
  timeMs: 1,
  sequence: 0,
  severity: Severity.SEVERITY_LOW,
  user: '',
  detail: {
    $case: 'device',
    value: { action: 'connect', deviceType: 'usb', vendor: 'SanDisk', model: 'Cruzer', serial: 'SN1', mountPoint: '' },
  },
});

function removableWrite(id: string, owner: string): Event {
  const event = fileEvent(id);
  if (event.detail?.$case !== 'file') throw new Error('a file event');
  event.user = owner;
  event.detail.value = { ...event.detail.value, folderClass: 'removable', owner, path: `/media/stick/${id}.pdf` };
  return event;
}

function sut() {
  const dir = mkdtempSync(join(tmpdir(), 'ww-attr-'));
  dirs.push(dir);
  const utmp = join(dir, 'utmp');
  const login = (user: string) =>
    writeFileSync(utmp, user ? utmpRecord({ pid: process.pid, tty: ':0', user, startSeconds: 1_700_000_000 }) : '');
  const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 3));
  const outbox = new MemoryOutbox({ capacity: 10, firstSequence: 1 });
  const pipeline = new EventPipeline({
    pseudonymizer,
    outbox,
    recent: new RecentEvents(),
    status: new StatusTracker({ version: '0.1.0', managerAddress: 'm:1', outboxStats: () => outbox.stats() }),
    logger: createMemoryLogger(),
    onQueued: () => undefined,
  });
  const scored: Event[] = [];
  const users = new ActiveSessionUser(utmpFileSessions(utmp));
  const sink = new AttributionSink(new ScoringSink(pipeline, { observe: (e) => scored.push(e) }), users);
  const sent = () => outbox.takeBatch(10)?.events ?? [];
  return { login, users, sink, scored, sent, pseudonymizer };
}

describe('AttributionSink in the pipeline', () => {
  it('gives USB events the active session user, scored in clear and sent pseudonymised', async () => {
    const { login, users, sink, scored, sent, pseudonymizer } = sut();
    login('nurse.jones');
    await users.refresh();
    sink.emit(usbConnect('d1'));
    sink.emit(removableWrite('f1', 'root'));
    sink.emit({ ...fileEvent('f2', 'phi'), user: 'dr.house' });

    const token = pseudonymizer.user('nurse.jones');
    expect(token).toMatch(/^u_/);
    const byId = new Map(sent().map((e) => [e.id, e]));
    const [device, removable, phi] = ['d1', 'f1', 'f2'].map((id) => byId.get(id) as Event);
    expect(device.user).toBe(token);
    expect(removable.user).toBe(token);
    // The file's owner keeps its own field; other folders keep the collector's user.
    expect(removable.detail?.$case === 'file' && removable.detail.value.owner).toBe(pseudonymizer.user('root'));
    expect(phi.user).toBe(pseudonymizer.user('dr.house'));
    expect(JSON.stringify([device, removable])).not.toContain('nurse.jones');
    // Scoring is local: it ties the evidence to the clear name.
    expect(scored.map((e) => e.user)).toEqual(['nurse.jones', 'nurse.jones', 'dr.house']);
    expect(sink.attributed).toBe(2);
  });

  it('leaves a device event unnamed when nobody is logged on locally', async () => {
    const { login, users, sink, sent } = sut();
    login('');
    await users.refresh();
    sink.emit(usbConnect('d2'));
    expect(sent()[0].user).toBe('');
    expect(sink.attributed).toBe(0);
  });
});
