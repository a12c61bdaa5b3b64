// Forwarding end to end on SQLite and PostgreSQL, through the real senders to real receivers
// started here: syslog over TLS (RFC 5424, octet-counted, CEF), and a webhook that checks the
// HMAC signature and answers 500s or goes down. Alerts come from the real AlertService; a
// command's audit row is appended the way CommandsService writes it.
import { Severity } from '@wardwatch/proto';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clock, RandomSource } from '../common/clock';
import type { ForwardingConfig } from '../config/config.schema';
import { servicesOn } from '../testing/services.fixture';
import type { TestDatabase } from '../testing/test-databases.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import type { DataSource } from 'typeorm';
import { parseCef } from './cef-parse.fixture';
import { DestinationSecrets } from './destination-secrets';
import { ForwardDestinationEntity } from './forward-destination.entity';
import { NetworkForwardSender } from './forward-senders';
import { startSyslogReceiver, startWebhookReceiver, type SyslogReceiver } from './forward-receivers.fixture';
import { ForwardingRepository } from './forwarding.repository';
import { ForwardingService } from './forwarding.service';

class TestClock extends Clock {
  constructor(public t = Date.now()) {
    super();
  }
  override now(): number {
    return this.t;
  }
}

const SECRET = 'a-webhook-secret-of-at-least-32-characters';
const config: ForwardingConfig = {
  intervalMs: 1_000,
  maxAttempts: 5,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  keyFile: '/unused: the key is given',
};
// One forwarding key for the whole file: a restart below reads what the first run sealed.
const KEY = randomBytes(32);

function forwardingOn(db: DataSource, clock: Clock, overrides: Partial<ForwardingConfig> = {}) {
  const services = servicesOn(db, clock);
  const repo = new ForwardingRepository(db, new DestinationSecrets(KEY));
  const forwarding = new ForwardingService(
    repo,
    services.audit,
    services.alerts,
    new NetworkForwardSender(),
    services.transactions,
    clock,
    new RandomSource(),
    { forwarding: { ...config, ...overrides } },
    // Half of each ceiling: delays of exactly 500, 1,000, 2,000 ms … show the doubling.
    () => 0.5,
  );
  return { ...services, repo, forwarding };
}

async function raiseAlert(wired: ReturnType<typeof forwardingOn>, title: string): Promise<void> {
  await wired.transactions.run((tx) =>
    wired.alerts.raise(
      [
        {
          agentId: 'agent-7',
          severity: Severity.SEVERITY_HIGH,
          score: 88,
          title,
          reasons: ['copy=42 files'],
          eventIds: [],
        },
      ],
      tx,
    ),
  );
}

async function issueCommand(wired: ReturnType<typeof forwardingOn>): Promise<void> {
  await wired.audit.append({
    actor: 'it.jane',
    action: 'command.issued',
    target: 'agent-7',
    details: { commandId: 'cmd-1', action: 'lockScreen', automatic: false, dryRun: false },
  });
}

const waitFor = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe.each(testEngines)('forwarding on $name', ({ make, skip }) => {
  let database: TestDatabase;
  let db: DataSource;
  let syslog: SyslogReceiver;
  beforeAll(async () => {
    if (skip) return;
    database = make();
    db = await database.open();
    syslog = await startSyslogReceiver();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.dispose();
    await syslog?.close();
  });

  it.skipIf(skip)('sends alerts, actions and audit entries as RFC 5424 frames with CEF over TLS', async () => {
    const clock = new TestClock();
    const wired = forwardingOn(db, clock);
    const destination = await wired.forwarding.create(
      {
        name: 'siem',
        enabled: true,
        kinds: ['alert', 'action', 'audit'],
        config: { type: 'syslog', host: '127.0.0.1', port: syslog.port, caPem: syslog.caPem },
      },
      'admin',
    );
    expect(await wired.forwarding.fill()).toBe(0); // the cursor starts at the log's head
    const title = 'Copy | to USB = exfil \\ by u_1\nsecond line';
    await raiseAlert(wired, title);
    await issueCommand(wired);
    expect(await wired.forwarding.fill()).toBe(2);
    expect(await wired.forwarding.fill()).toBe(0);
    expect(await wired.forwarding.drain()).toEqual({ delivered: 4, retried: 0, dead: 0 });
    await waitFor(() => syslog.frames.length >= 4, 'four syslog frames');

    for (const frame of syslog.frames) expect(Buffer.byteLength(frame.message)).toBe(frame.declared);
    const messages = syslog.frames.map((f) => f.message);
    const header =
      /^<(\d+)>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) wardwatch - (\S+) \[wardwatch@32473 eventId="([^"]+)" kind="(\w+)"\] (CEF:0\|.*)$/s;
    const parsed = messages.map((m) => {
      const match = header.exec(m);
      expect(match, m).not.toBeNull();
      return {
        pri: Number(match![1]),
        msgId: match![4],
        eventId: match![5],
        kind: match![6],
        cef: parseCef(match![7]),
      };
    });
    expect(parsed.map((p) => [p.msgId, p.kind])).toEqual([
      ['alert.raise', 'alert'],
      ['alert.raise', 'audit'],
      ['command.issued', 'action'],
      ['command.issued', 'audit'],
    ]);
    // One line each: the title's newline is escaped in the header, never a raw line break.
    for (const m of messages) expect(m).not.toMatch(/[\r\n]/);
    const alert = parsed[0].cef;
    expect(alert.header).toEqual([
      'CEF:0',
      'WardWatch',
      'WardWatch Manager',
      '0.1.0',
      'alert.raise',
      title.replace('\n', ' '),
      '8',
    ]);
    expect(alert.ext).toMatchObject({
      externalId: parsed[0].eventId,
      cat: 'alert',
      dvchost: 'agent-7',
      cn1Label: 'score',
      cn1: '88',
      msg: 'copy=42 files',
    });
    expect(parsed[0].pri).toBe(13 * 8 + 3); // log audit, error (a high alert)
    expect(JSON.parse(alert.ext.cs3)).toMatchObject({ severity: 4, score: 88 });
    expect(parsed[2].cef.header[5]).toBe('command.issued lockScreen');
    expect(parsed[2].cef.ext).toMatchObject({ suser: 'it.jane', dvchost: 'agent-7' });
    expect(new Set(parsed.map((p) => p.eventId)).size).toBe(4);

    const [view] = await wired.forwarding.list();
    expect(view).toMatchObject({
      id: destination.id,
      counts: { pending: 0, delivered: 4, dead: 0 },
      lastDeliveredAt: clock.t,
    });
    await wired.forwarding.remove(destination.id, 'admin');
  });

  it.skipIf(skip)('refuses a syslog receiver whose certificate the destination does not trust', async () => {
    const clock = new TestClock();
    const wired = forwardingOn(db, clock);
    const impostor = await startSyslogReceiver();
    try {
      await wired.forwarding.fill();
      const destination = await wired.forwarding.create(
        {
          name: 'pinned',
          enabled: true,
          kinds: ['audit'],
          // Trusts the first receiver's certificate only; the impostor has another.
          config: { type: 'syslog', host: '127.0.0.1', port: impostor.port, caPem: syslog.caPem },
        },
        'admin',
      );
      await wired.forwarding.fill();
      expect(await wired.forwarding.drain()).toEqual({ delivered: 0, retried: 1, dead: 0 });
      const [row] = await wired.repo.due(Number.MAX_SAFE_INTEGER, 10);
      expect(row).toMatchObject({ destinationId: destination.id, attempts: 1 });
      expect(row.lastError).toMatch(/^syslog: .*(self.signed|certificate)/i);
      expect(impostor.frames).toEqual([]);
      await wired.forwarding.remove(destination.id, 'admin');
    } finally {
      await impostor.close();
    }
  });

  it.skipIf(skip)(
    'retries a failing webhook with doubling backoff, delivers signed OCSF once taken, and sends a test at once',
    async () => {
      const clock = new TestClock();
      const wired = forwardingOn(db, clock);
      const receiver = await startWebhookReceiver(SECRET, [500, 500]);
      try {
        const destination = await wired.forwarding.create(
          {
            name: 'hook',
            enabled: true,
            kinds: ['alert'],
            config: { type: 'webhook', url: receiver.url, secret: SECRET },
          },
          'admin',
        );
        // At rest the secret is sealed (the delivery below still signs with it).
        const stored = await db.getRepository(ForwardDestinationEntity).findOneByOrFail({ id: destination.id });
        expect(JSON.stringify(stored.config)).not.toContain(SECRET);
        expect(stored.config).toMatchObject({ type: 'webhook', secret: expect.stringMatching(/^v1\./) as unknown });
        await wired.forwarding.fill();
        await raiseAlert(wired, 'Ransomware burst');
        await wired.forwarding.fill();

        const delays: number[] = [];
        const step = async () => {
          const result = await wired.forwarding.drain();
          const [row] = await wired.repo.due(Number.MAX_SAFE_INTEGER, 10);
          if (row) {
            delays.push(row.nextAttemptAt - clock.t);
            // Not due before its time: a drain now sends nothing.
            expect(await wired.forwarding.drain()).toEqual({ delivered: 0, retried: 0, dead: 0 });
            clock.t = row.nextAttemptAt;
          }
          return result;
        };
        expect(await step()).toEqual({ delivered: 0, retried: 1, dead: 0 }); // 500
        expect(await step()).toEqual({ delivered: 0, retried: 1, dead: 0 }); // 500
        await receiver.down();
        expect(await step()).toEqual({ delivered: 0, retried: 1, dead: 0 }); // refused
        await receiver.up();
        expect(await step()).toEqual({ delivered: 1, retried: 0, dead: 0 });
        expect(delays).toEqual([500, 1_000, 2_000]);

        expect(receiver.hits.map((h) => [h.status, h.verified])).toEqual([
          [500, true],
          [500, true],
          [200, true],
        ]);
        // The same event id on every attempt: the receiver can drop a repeat.
        expect(new Set(receiver.hits.map((h) => h.eventId)).size).toBe(1);
        const finding = receiver.hits[2].body;
        expect(finding).toMatchObject({
          class_uid: 2004,
          class_name: 'Detection Finding',
          category_uid: 2,
          activity_id: 1,
          type_uid: 200401,
          severity_id: 4,
          status: 'open',
          risk_score: 88,
          finding_info: { title: 'Ransomware burst', desc: 'copy=42 files' },
          device: { uid: 'agent-7' },
          metadata: { uid: receiver.hits[2].eventId, version: '1.3.0', product: { name: 'WardWatch Manager' } },
        });
        expect(typeof finding.time).toBe('number');

        const [view] = (await wired.forwarding.list()).filter((d) => d.id === destination.id);
        expect(view.counts).toEqual({ pending: 0, delivered: 1, dead: 0 });
        expect(view.lastDeliveredAt).toBe(clock.t);

        // A test record goes out at once, signed, outside the outbox: not counted, but audited.
        expect(await wired.forwarding.sendTest(destination.id, 'admin')).toEqual({ delivered: true });
        const test = receiver.hits[receiver.hits.length - 1];
        expect(test).toMatchObject({ status: 200, verified: true, body: { api: { operation: 'forwarding.test' } } });
        expect(test.eventId).toMatch(/^wardwatch-test-/);
        await receiver.down();
        const refused = await wired.forwarding.sendTest(destination.id, 'admin');
        await receiver.up();
        expect(refused).toMatchObject({ delivered: false, error: expect.stringMatching(/^webhook: /) as unknown });
        const [after] = (await wired.forwarding.list()).filter((d) => d.id === destination.id);
        expect(after.counts).toEqual({ pending: 0, delivered: 1, dead: 0 });
        const audited = (await wired.audit.list(2)).map((r) => [r.action, r.target, r.details.delivered]);
        expect(audited).toEqual([
          ['forwarding.test', destination.id, false],
          ['forwarding.test', destination.id, true],
        ]);
        await expect(wired.forwarding.sendTest('nope', 'admin')).rejects.toThrow(/no forwarding destination/);
        await wired.forwarding.remove(destination.id, 'admin');
      } finally {
        await receiver.close();
      }
    },
  );

  it.skipIf(skip)(
    'ends in counted dead letters when the receiver never takes them, and keeps them bounded',
    async () => {
      const clock = new TestClock();
      const wired = forwardingOn(db, clock, { maxAttempts: 3 });
      const receiver = await startWebhookReceiver(SECRET, Array<number>(100).fill(503));
      try {
        await wired.forwarding.fill(); // what earlier tests logged is behind the cursor
        const destination = await wired.forwarding.create(
          {
            name: 'broken',
            enabled: true,
            kinds: ['action', 'audit'],
            config: { type: 'webhook', url: receiver.url, secret: SECRET },
          },
          'admin',
        );
        await issueCommand(wired);
        await wired.audit.append({ actor: 'admin', action: 'user.create', target: 'bob', details: {} });
        await wired.forwarding.fill();
        // Four records: this destination's creation, the command (as an action and as an
        // audit entry) and the user created.
        const tallies = [];
        for (let i = 0; i < 3; i++) {
          tallies.push(await wired.forwarding.drain());
          clock.t += 60_000;
        }
        expect(tallies).toEqual([
          { delivered: 0, retried: 4, dead: 0 },
          { delivered: 0, retried: 4, dead: 0 },
          { delivered: 0, retried: 0, dead: 4 },
        ]);
        expect(await wired.forwarding.drain()).toEqual({ delivered: 0, retried: 0, dead: 0 });
        expect(receiver.hits).toHaveLength(12);
        const first = receiver.hits.slice(0, 4).map((h) => h.body);
        const byCode = (code: string, classUid: number) =>
          first.find((b) => (b.metadata as { event_code: string }).event_code === code && b.class_uid === classUid);
        expect(first.map((b) => [b.class_uid, b.type_uid]).sort()).toEqual([
          [6003, 600301], // API Activity, Create: the destination created
          [6003, 600301], // API Activity, Create: the command issued
          [6003, 600301], // API Activity, Create: the user created
          [7001, 700101], // Remediation Activity, Isolate: lock screen
        ]);
        expect(byCode('command.issued', 7001)).toMatchObject({
          command_uid: 'cmd-1',
          status: 'issued',
          device: { uid: 'agent-7' },
          actor: { user: { name: 'it.jane' } },
        });
        expect(byCode('user.create', 6003)).toMatchObject({
          api: { operation: 'user.create' },
          resources: [{ uid: 'bob' }],
        });
        // The destination's audit entry names it, never its secret.
        expect(byCode('forwarding.create', 6003)).toMatchObject({ unmapped: { details: { name: 'broken' } } });
        expect(JSON.stringify(receiver.hits)).not.toContain(SECRET);

        const [view] = (await wired.forwarding.list()).filter((d) => d.id === destination.id);
        expect(view.counts).toEqual({ pending: 0, delivered: 0, dead: 4 });
        expect(view.lastDeliveredAt).toBeNull();
        const dead = await wired.forwarding.deadLetters(destination.id, 10);
        expect(dead.map((d) => [d.kind, d.attempts, d.lastError])).toEqual(
          expect.arrayContaining([
            ['action', 3, 'webhook: HTTP 503'],
            ['audit', 3, 'webhook: HTTP 503'],
          ]),
        );
        // Bounded: only the newest are kept; the count stays.
        await wired.transactions.run((tx) => wired.repo.pruneDead(destination.id, 1, tx));
        expect(await wired.forwarding.deadLetters(destination.id, 10)).toHaveLength(1);
        expect((await wired.forwarding.list()).find((d) => d.id === destination.id)?.counts.dead).toBe(4);
        await wired.forwarding.remove(destination.id, 'admin');
      } finally {
        await receiver.close();
      }
    },
  );

  it.skipIf(skip)(
    "holds a disabled destination's records, without holding up the others, until it is enabled",
    async () => {
      const clock = new TestClock();
      const wired = forwardingOn(db, clock);
      const receiver = await startWebhookReceiver(SECRET);
      try {
        await wired.forwarding.fill();
        const config = { type: 'webhook' as const, url: receiver.url, secret: SECRET };
        const paused = await wired.forwarding.create(
          { name: 'paused', enabled: true, kinds: ['audit'], config },
          'admin',
        );
        const live = await wired.forwarding.create({ name: 'live', enabled: true, kinds: ['audit'], config }, 'admin');
        await wired.forwarding.fill();
        await wired.forwarding.update(paused.id, { enabled: false }, 'admin');
        // The paused destination's creation and the live one's went to both; the update is only for `live`.
        expect(await wired.forwarding.drain()).toEqual({ delivered: 2, retried: 0, dead: 0 });
        const counts = async () => Object.fromEntries((await wired.forwarding.list()).map((d) => [d.name, d.counts]));
        expect(await counts()).toMatchObject({
          paused: { pending: 2, delivered: 0 },
          live: { pending: 0, delivered: 2 },
        });
        await wired.forwarding.update(paused.id, { enabled: true }, 'admin');
        expect(await wired.forwarding.drain()).toEqual({ delivered: 2, retried: 0, dead: 0 });
        expect(await counts()).toMatchObject({ paused: { pending: 0, delivered: 2 } });
        await wired.forwarding.remove(paused.id, 'admin');
        await wired.forwarding.remove(live.id, 'admin');
      } finally {
        await receiver.close();
      }
    },
  );

  it.skipIf(skip)(
    'seals a webhook secret stored in clear at start, audited; a moved sealed secret does not open',
    async () => {
      const wired = forwardingOn(db, new TestClock());
      const rows = db.getRepository(ForwardDestinationEntity);
      const legacy: ForwardDestinationEntity = {
        id: 'legacy-hook',
        name: 'legacy',
        enabled: false,
        kinds: ['alert'],
        config: { type: 'webhook', url: 'https://siem.example/hook', secret: SECRET },
        createdAt: 1,
        createdBy: 'admin',
        deliveredCount: 0,
        deadCount: 0,
        lastDeliveredAt: null,
      };
      await rows.insert(legacy);
      expect(await wired.forwarding.sealStoredSecrets()).toBe(1);
      expect(await wired.forwarding.sealStoredSecrets()).toBe(0);
      const sealed = await rows.findOneByOrFail({ id: 'legacy-hook' });
      expect(JSON.stringify(sealed.config)).not.toContain(SECRET);
      expect(await wired.repo.findDestination('legacy-hook')).toMatchObject({ config: { secret: SECRET } });
      const [record] = await wired.audit.list(1);
      expect(record).toMatchObject({ action: 'forwarding.secrets_sealed', details: { destinations: ['legacy-hook'] } });
      // Copied to another row, the sealed secret does not open (its id is bound in).
      await rows.insert({ ...legacy, id: 'copied-hook', config: sealed.config });
      await expect(wired.repo.findDestination('copied-hook')).rejects.toThrow(/does not open/);
      await rows.delete({ id: 'copied-hook' });
      await rows.delete({ id: 'legacy-hook' });
    },
  );

  it.skipIf(skip)('keeps undelivered records across a restart and delivers them after it', async () => {
    const clock = new TestClock();
    const receiver = await startWebhookReceiver(SECRET);
    await receiver.down();
    try {
      const before = forwardingOn(db, clock);
      await before.forwarding.fill();
      const destination = await before.forwarding.create(
        {
          name: 'later',
          enabled: true,
          kinds: ['alert', 'audit'],
          config: { type: 'webhook', url: receiver.url, secret: SECRET },
        },
        'admin',
      );
      await raiseAlert(before, 'Brute force');
      await before.forwarding.fill();
      // The destination's creation and the alert (as a finding and as an audit entry).
      expect(await before.forwarding.drain()).toEqual({ delivered: 0, retried: 3, dead: 0 });

      await db.destroy();
      db = await database.open();
      await receiver.up();
      clock.t += 60_000;
      const after = forwardingOn(db, clock);
      expect(await after.forwarding.fill()).toBe(0); // the cursor was kept: nothing queued twice
      expect(await after.forwarding.drain()).toEqual({ delivered: 3, retried: 0, dead: 0 });
      expect(receiver.hits.map((h) => h.body.class_uid).sort()).toEqual([2004, 6003, 6003]);
      expect((await after.forwarding.list()).find((d) => d.id === destination.id)?.counts).toEqual({
        pending: 0,
        delivered: 3,
        dead: 0,
      });
    } finally {
      await receiver.close();
    }
  });
});
