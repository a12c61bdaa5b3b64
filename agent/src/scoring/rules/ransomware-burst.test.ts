// The ransomware rule over the shipped rules: it fires within the first ten
// files of a burst, however the attacker replaces them, and stays silent on the
// staff behaviour that also writes encrypted-looking files.
import { describe, expect, it } from 'vitest';
import { PortableEvent, type PortableEventInput } from '@wardwatch/shared';
import { DEFAULT_RULES_DIR, loadRules } from './load-rules';
import { RuleEngine, type RuleHit } from './rule-engine';
import { FileLineage } from '../../file-lineage/file-lineage';

type FileInput = Extract<PortableEventInput, { kind: `file_${string}` }>;
/** One kind's own fields (Omit over each member of the union), folder class optional. */
type Fields = FileInput extends infer T
  ? T extends FileInput
    ? Omit<T, 'v' | 'host' | 'user' | 'folderClass'> & { folderClass?: FileInput['folderClass'] }
    : never
  : never;
const ev = (fields: Fields, user = 'nurse.jones') =>
  PortableEvent.parse({ v: 1, host: 'ward3-ws12', user, folderClass: 'phi', ...fields });

async function engine() {
  return new RuleEngine(await loadRules(DEFAULT_RULES_DIR));
}

/** The original file an attack event changes (undefined: not an attack event). */
type AttackKey = (event: PortableEvent) => string | undefined;
const lockedOriginal: AttackKey = (event) =>
  'path' in event && event.kind !== 'file_delete' ? event.path.replace(/\.locked$/, '') : undefined;

/** Runs events through the rules; the hits, and how many files the attack had changed at the first ransomware hit. */
function run(e: RuleEngine, events: PortableEvent[], attackKey: AttackKey = lockedOriginal) {
  const hits: RuleHit[] = [];
  const files = new Set<string>();
  let filesAtHit = -1;
  for (const event of events) {
    const key = attackKey(event);
    if (key !== undefined) files.add(key);
    for (const hit of e.observe(event)) {
      hits.push(hit);
      if (hit.ruleId === 'ransomware-burst' && filesAtHit < 0) filesAtHit = files.size;
    }
  }
  return { rules: [...new Set(hits.map((h) => h.ruleId))], filesAtHit, hits };
}

const t0 = 1_750_000_000_000;
const docs = (n: number) => Array.from({ length: n }, (_, i) => `/srv/phi/ward3/chart-${i}.docx`);

describe('ransomware-burst: attacks fire within the first ten files', () => {
  it('encrypted copy beside each document, original deleted (the usual locker)', async () => {
    const events = docs(40).flatMap((path, i) => [
      ev({ time: t0 + i * 5, kind: 'file_create', path: `${path}.locked`, extension: 'locked', entropy: 7.98 }),
      ev({ time: t0 + i * 5 + 2, kind: 'file_delete', path, extension: 'docx' }, 'unknown'),
    ]);
    const result = run(await engine(), events);
    expect(result.rules).toContain('ransomware-burst');
    expect(result.filesAtHit).toBe(6);
    const hit = result.hits.find((h) => h.ruleId === 'ransomware-burst')!;
    expect(hit).toMatchObject({ severity: 'critical', count: 6 });
    expect(hit.fields.folderClass).toBe('phi');
    expect(hit.reason).toBe('6 files replaced with encrypted-looking content within 30s in phi folders on ward3-ws12');
  });

  it('encrypted in place, then renamed to its own extension', async () => {
    const events = docs(20).flatMap((path, i) => [
      ev({ time: t0 + i * 20, kind: 'file_write', path, extension: 'docx', entropy: 7.97 }),
      ev({ time: t0 + i * 20 + 5, kind: 'file_rename', path: `${path}.x7k2q`, previousPath: path, extension: 'x7k2q' }),
    ]);
    const result = run(await engine(), events, (e) => (e.kind === 'file_rename' ? e.previousPath : undefined));
    expect(result.rules).toContain('ransomware-burst');
    expect(result.filesAtHit).toBe(6);
  });

  it('text records overwritten with random bytes, names kept', async () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      ev({ time: t0 + i * 50, kind: 'file_write', path: `/srv/phi/notes-${i}.txt`, extension: 'txt', entropy: 7.99 }),
    );
    expect(run(await engine(), events).filesAtHit).toBe(6);
  });

  it('an entropy jump on files seen before (a .docx known low is not possible, a .dat is)', async () => {
    const before = Array.from({ length: 8 }, (_, i) =>
      ev({ time: t0 + i, kind: 'file_create', path: `/srv/phi/lab-${i}.dat`, extension: 'dat', entropy: 4.2 }),
    );
    const after = Array.from({ length: 8 }, (_, i) =>
      ev({
        time: t0 + 60_000 + i * 10,
        kind: 'file_write',
        path: `/srv/phi/lab-${i}.dat`,
        extension: 'dat',
        entropy: 7.9,
      }),
    );
    const attack: AttackKey = (e) => (e.time >= t0 + 60_000 && 'path' in e ? e.path : undefined);
    expect(run(await engine(), [...before, ...after], attack).filesAtHit).toBe(6);
  });

  it('does not count one file twice (several writes of the same copy)', async () => {
    const events = docs(5).flatMap((path, i) =>
      [0, 1, 2].map((k) =>
        ev({ time: t0 + i * 30 + k, kind: 'file_write', path: `${path}.locked`, extension: 'locked', entropy: 7.99 }),
      ),
    );
    expect(run(await engine(), events).rules).not.toContain('ransomware-burst');
  });
});

describe('ransomware-burst: benign staff behaviour stays silent', () => {
  it('a nurse saving ten scanned PDFs', async () => {
    const events = Array.from({ length: 10 }, (_, i) =>
      ev({ time: t0 + i * 800, kind: 'file_create', path: `/srv/phi/scan-${i}.pdf`, extension: 'pdf', entropy: 7.92 }),
    );
    expect(run(await engine(), events).rules).toEqual([]);
  });

  it('unzipping an archive of office documents, photos and notes', async () => {
    const kinds = ['docx', 'xlsx', 'jpg', 'png', 'pdf', 'txt'];
    const events = Array.from({ length: 60 }, (_, i) => {
      const extension = kinds[i % kinds.length];
      return ev({
        time: t0 + i * 3,
        kind: 'file_create',
        path: `/srv/phi/unpacked/referral-${i}.${extension}`,
        extension,
        entropy: extension === 'txt' ? 4.6 : 7.9,
      });
    });
    events.push(ev({ time: t0 + 500, kind: 'file_delete', path: '/srv/phi/referrals.zip', extension: 'zip' }));
    expect(run(await engine(), events).rules).toEqual([]);
  });

  it('a backup tool writing compressed copies into a backup folder', async () => {
    const events = docs(60).flatMap((path, i) => [
      ev({
        time: t0 + i * 10,
        kind: 'file_create',
        path: path.replace('/srv/phi/', '/srv/backup/') + '.gz',
        extension: 'gz',
        entropy: 7.96,
        folderClass: 'other',
      }),
      ev({
        time: t0 + i * 10 + 1,
        kind: 'file_create',
        path: path.replace('/srv/phi/', '/srv/backup/') + '.bak',
        extension: 'bak',
        entropy: 7.9,
        folderClass: 'other',
      }),
    ]);
    expect(run(await engine(), events).rules).toEqual([]);
  });

  it('compressing in place (gzip replaces each file by file.gz)', async () => {
    const events = docs(30).flatMap((path, i) => [
      ev({ time: t0 + i * 10, kind: 'file_create', path: `${path}.gz`, extension: 'gz', entropy: 7.96 }),
      ev({ time: t0 + i * 10 + 1, kind: 'file_delete', path, extension: 'docx' }, 'unknown'),
    ]);
    expect(run(await engine(), events).rules).toEqual([]);
  });

  it('an office suite saving documents (temp file written, original deleted, temp renamed)', async () => {
    const events = docs(20).flatMap((path, i) => {
      const temp = `/srv/phi/ward3/~WRL${1000 + i}.tmp`;
      return [
        ev({ time: t0 + i * 100, kind: 'file_create', path: temp, extension: 'tmp', entropy: 7.93 }),
        ev({ time: t0 + i * 100 + 5, kind: 'file_delete', path, extension: 'docx' }, 'unknown'),
        ev({ time: t0 + i * 100 + 6, kind: 'file_rename', path, previousPath: temp, extension: 'docx' }),
      ];
    });
    expect(run(await engine(), events).rules).toEqual([]);
  });

  it('browser downloads in progress (.crdownload) and notes edited as text', async () => {
    const events = [
      ...Array.from({ length: 12 }, (_, i) =>
        ev({
          time: t0 + i * 200,
          kind: 'file_write',
          path: `/srv/phi/results-${i}.pdf.crdownload`,
          extension: 'crdownload',
          entropy: 7.9,
        }),
      ),
      ...Array.from({ length: 12 }, (_, i) =>
        ev({ time: t0 + i * 200, kind: 'file_write', path: `/srv/phi/notes-${i}.txt`, extension: 'txt', entropy: 4.8 }),
      ),
    ];
    expect(run(await engine(), events).rules).toEqual([]);
  });
});

describe('FileLineage', () => {
  it('forgets a deleted path and carries entropy across a rename', () => {
    const lineage = new FileLineage();
    lineage.observe(ev({ time: t0, kind: 'file_write', path: '/p/a.docx', extension: 'docx', entropy: 7.9 }));
    expect(
      lineage.observe(ev({ time: t0 + 1, kind: 'file_rename', path: '/p/b.docx', previousPath: '/p/a.docx' })),
    ).toBe(undefined);
    expect(
      lineage.observe(ev({ time: t0 + 2, kind: 'file_rename', path: '/p/b.enc1', previousPath: '/p/b.docx' })),
    ).toBe('encrypted_rename');
    lineage.observe(ev({ time: t0 + 3, kind: 'file_delete', path: '/p/b.enc1' }));
    expect(
      lineage.observe(ev({ time: t0 + 4, kind: 'file_rename', path: '/p/c.enc2', previousPath: '/p/b.enc1' })),
    ).toBe(undefined);
  });
});
