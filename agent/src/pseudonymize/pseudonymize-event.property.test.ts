// Property: whatever a collector puts into an event, no user name, host-local
// path, address, host name or serial reaches the output in clear, except the
// values clear-values.ts names (which these generators leave out on purpose and
// the example tests cover).
import fc from 'fast-check';
import { canonicalIp, canonicalPath, clearAddress, clearFieldOfEvent } from '@wardwatch/shared/pseudonyms';
import { Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { pseudonymizeEvent } from './pseudonymize-event';
import { Pseudonymizer } from './pseudonymizer';

// "zq" is not a hex digit, so a secret can never appear inside a token by chance.
const secret = fc.stringMatching(/^zq[a-z0-9._-]{2,12}$/);
// A well-known extension may stay readable; a free-text one is a secret.
const extension = fc.oneof(
  fc.constant({ ext: '', secret: '' }),
  fc.constantFrom('.pdf', '.exe', '.DCM').map((ext) => ({ ext, secret: '' })),
  secret.map((s) => ({ ext: `.${s}`, secret: s })),
);
const posixPath = fc
  .tuple(
    fc.constantFrom('/home', '/srv/records', '/media/usb', '/tmp', '/var/lib'),
    fc.array(secret, { minLength: 0, maxLength: 3 }),
    secret,
    extension,
  )
  .map(([root, dirs, name, ext]) => ({
    path: [root, ...dirs, name].join('/') + ext.ext,
    secrets: [...dirs, name, ext.secret],
  }));
const windowsPath = fc
  .tuple(
    fc.constantFrom('C:\\Users', 'D:\\Shared', '\\\\filesrv\\phi', 'C:\\Windows\\Temp'),
    fc.array(secret, { maxLength: 3 }),
    secret,
    extension,
  )
  .map(([root, dirs, name, ext]) => ({
    path: [root, ...dirs, name].join('\\') + ext.ext,
    secrets: [...dirs, name, ext.secret],
  }));
const path = fc.oneof(posixPath, windowsPath);
const address = fc.oneof(fc.ipV4(), fc.ipV6()).filter((ip) => clearAddress(ip) === undefined);
const user = fc.tuple(fc.constantFrom('', 'HOSPITAL\\', 'hospital.local/'), secret).map(([domain, name]) => ({
  raw: domain === 'hospital.local/' ? `${name}@hospital.local` : `${domain}${name}`,
  secrets: [name],
}));

/** Every generated identifying value and the secrets it carries. */
const identifying = fc.record({
  user,
  owner: user,
  target: user,
  host: secret.map((h) => `${h}.hospital.local`),
  ip: address,
  ip2: address,
  path,
  previous: path,
  exe: path,
  mount: path,
  serial: secret,
});

type Identifying = typeof identifying extends fc.Arbitrary<infer T> ? T : never;

function events(v: Identifying): Event[] {
  const base: Omit<Event, 'detail'> = { id: 'e', timeMs: 1, severity: 0, user: v.user.raw, sequence: 0 };
  return [
    {
      ...base,
      detail: {
        $case: 'file',
        value: {
          action: 'rename',
          path: v.path.path,
          previousPath: v.previous.path,
          folderClass: 'phi',
          extension: v.path.path.slice(v.path.path.lastIndexOf('.')),
          depth: 3,
          sizeBytes: 1,
          entropy: 1,
          owner: v.owner.raw,
          process: v.exe.path,
          pid: 0,
        },
      },
    },
    {
      ...base,
      detail: {
        $case: 'login',
        value: {
          action: 'failed_logon',
          method: 'password',
          service: 'sshd',
          tty: 'ssh',
          sourceHost: v.host,
          sourceIp: v.ip,
          sourcePort: 22,
          targetUser: v.target.raw,
          raw: `Failed password for ${v.user.raw} from ${v.ip}`,
        },
      },
    },
    {
      ...base,
      detail: {
        $case: 'process',
        value: {
          action: 'start',
          pid: 1,
          ppid: 0,
          executable: v.exe.path,
          commandLine: `${v.exe.path} ${v.path.path}`,
          sha256: '',
        },
      },
    },
    {
      ...base,
      detail: {
        $case: 'device',
        value: {
          action: 'mount',
          deviceType: 'usb-storage',
          vendor: 'v',
          model: 'm',
          serial: v.serial,
          mountPoint: v.mount.path,
        },
      },
    },
    {
      ...base,
      detail: {
        $case: 'network',
        value: {
          action: 'connect',
          protocol: 'tcp',
          remoteAddress: v.ip2,
          remotePort: 443,
          pid: 1,
          process: v.exe.path,
        },
      },
    },
  ];
}

describe('pseudonymizeEvent (property)', () => {
  it('lets no user, path, address, host name or serial out in clear', () => {
    fc.assert(
      fc.property(identifying, fc.uint8Array({ minLength: 16, maxLength: 32 }), (v, key) => {
        const p = new Pseudonymizer(key, { folders: [{ path: '/srv/records', class: 'phi' }] });
        const sent = events(v).map((event) => pseudonymizeEvent(event, p));
        // The manager checks the same fields with the same definition and refuses a clear value.
        for (const event of sent) expect(clearFieldOfEvent(event)).toBeUndefined();
        const out = JSON.stringify(sent).toLowerCase();
        const secrets = [
          ...v.user.secrets,
          ...v.owner.secrets,
          ...v.target.secrets,
          v.host,
          v.serial,
          ...v.path.secrets,
          ...v.previous.secrets,
          ...v.exe.secrets,
          ...v.mount.secrets,
        ].filter(Boolean);
        for (const s of secrets) expect(out).not.toContain(s.toLowerCase());
        for (const ip of [v.ip, v.ip2]) {
          expect(out).not.toContain(`"${ip.toLowerCase()}"`);
          expect(out).not.toContain(`"${canonicalIp(ip)}"`);
          expect(out).not.toContain(` ${ip.toLowerCase()}`);
        }
        for (const p of [v.path, v.previous, v.exe, v.mount])
          expect(out).not.toContain(JSON.stringify(canonicalPath(p.path)).toLowerCase());
      }),
      { numRuns: 300 },
    );
  });

  it('sends only values the manager accepts in pseudonym fields, whatever a collector filled them with', () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'root',
        'NT AUTHORITY\\SYSTEM',
        '127.0.0.1',
        '[::1]',
        'localhost',
        '/usr/bin/ssh',
        'C:\\Windows\\x.exe',
      ),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 12, maxLength: 12 }), (t) => {
        const p = new Pseudonymizer(Buffer.alloc(32, 5));
        const base = { id: 'e', timeMs: 1, sequence: 0, severity: Severity.SEVERITY_INFO, user: t[0] };
        const details: Event['detail'][] = [
          {
            $case: 'file',
            value: {
              action: 'write',
              path: t[1],
              previousPath: t[2],
              folderClass: 'other',
              extension: t[3],
              depth: 1,
              sizeBytes: 0,
              entropy: -1,
              owner: t[4],
              process: t[5],
              pid: 0,
            },
          },
          {
            $case: 'login',
            value: {
              action: 'logon',
              method: '',
              service: '',
              tty: '',
              sourceHost: t[6],
              sourceIp: t[7],
              sourcePort: 0,
              targetUser: t[8],
              raw: t[9],
            },
          },
          {
            $case: 'process',
            value: { action: 'start', pid: 1, ppid: 0, executable: t[10], commandLine: t[11], sha256: '' },
          },
          {
            $case: 'device',
            value: {
              action: 'connect',
              deviceType: 'usb-storage',
              vendor: '',
              model: '',
              serial: t[1],
              mountPoint: t[2],
            },
          },
          {
            $case: 'network',
            value: { action: 'connect', protocol: 'tcp', remoteAddress: t[3], remotePort: 443, pid: 1, process: t[4] },
          },
        ];
        for (const detail of details)
          expect(clearFieldOfEvent(pseudonymizeEvent({ ...base, detail }, p))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
