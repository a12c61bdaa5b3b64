// canonicalFolder: the folder whose PRF output keys a path's token in OPRF mode
// (oprf-token.ts). Every spelling of one file must give one folder, and the folder must be
// the one the file is in — not its parent, not the file itself.
import { describe, expect, it } from 'vitest';
import { canonicalFolder, canonicalNetwork } from './canonical-form';

describe('canonicalFolder', () => {
  it.each([
    ['/srv/records/ward3/discharge.pdf', '/srv/records/ward3/'],
    ['/srv//records/./ward3/discharge.pdf', '/srv/records/ward3/'],
    ['  /srv/records/ward3/Discharge.PDF ', '/srv/records/ward3/'],
    ['/srv/Records/ward3/a.pdf', '/srv/Records/ward3/'], // POSIX keeps case
    ['/srv/records/../ward3/a.pdf', '/srv/records/../ward3/'], // `..` kept, as canonicalPath keeps it
    ['/srv/records/ward3/', '/srv/records/'], // a folder's own path: its parent, as for a file
  ])('POSIX: %j is in %j', (path, folder) => {
    expect(canonicalFolder(path)).toBe(folder);
  });

  it.each([
    ['C:\\Users\\Jones\\Documents\\list.xlsx', 'c:\\users\\jones\\documents\\'],
    ['c:/users/jones/documents/LIST.xlsx', 'c:\\users\\jones\\documents\\'],
    ['C:\\Users\\\\Jones\\.\\Documents\\list.xlsx', 'c:\\users\\jones\\documents\\'],
    ['E:\\export\\list.xlsx', 'e:\\export\\'],
  ])('Windows: %j is in %j', (path, folder) => {
    expect(canonicalFolder(path)).toBe(folder);
  });

  it.each([
    ['/notes.txt', '/'],
    ['C:\\notes.txt', 'c:\\'],
    ['c:/notes.txt', 'c:\\'],
    ['notes.txt', ''],
  ])('a file at the root: %j is in %j', (path, folder) => {
    expect(canonicalFolder(path)).toBe(folder);
  });

  it.each([
    ['\\\\fileserver\\ward3\\letters\\jones.docx', '\\\\fileserver\\ward3\\letters\\'],
    ['//FileServer/Ward3/letters/jones.docx', '\\\\fileserver\\ward3\\letters\\'],
    ['\\\\fileserver\\ward3\\jones.docx', '\\\\fileserver\\ward3\\'],
  ])('UNC: %j is in %j', (path, folder) => {
    expect(canonicalFolder(path)).toBe(folder);
  });

  it('two files of one folder share it; the same name in another folder does not', () => {
    expect(canonicalFolder('/srv/records/ward3/a.pdf')).toBe(canonicalFolder('/srv/records/ward3/b.pdf'));
    expect(canonicalFolder('/srv/records/ward3/a.pdf')).not.toBe(canonicalFolder('/srv/records/ward4/a.pdf'));
  });
});

// canonicalNetwork: the network whose PRF output keys an address's token in OPRF mode. Every
// spelling of one address must give one network; IPv4 groups by /24, IPv6 by /64.
describe('canonicalNetwork', () => {
  it.each([
    ['10.1.7.42', '10.1.7.0/24'],
    [' 10.1.7.0 ', '10.1.7.0/24'],
    ['10.1.7.255', '10.1.7.0/24'],
    ['::ffff:10.1.7.42', '10.1.7.0/24'], // IPv4-mapped: the IPv4's network
    ['::FFFF:a01:72a', '10.1.7.0/24'],
    ['[::ffff:10.1.7.42]', '10.1.7.0/24'],
    ['2001:db8:0:7::1', '2001:db8:0:7::/64'],
    ['2001:0DB8:0000:0007:ffff:ffff:ffff:ffff', '2001:db8:0:7::/64'],
    ['[2001:db8:0:7:1:2:3:4]', '2001:db8:0:7::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['::1', '::/64'],
    ['2001:db8::7', '2001:db8::/64'],
    ['2001:db8:1:2:3::', '2001:db8:1:2::/64'],
    ['64:ff9b::10.1.7.42', '64:ff9b::/64'], // NAT64: an IPv6 address, its /64
  ])('%j is in %j', (address, network) => {
    expect(canonicalNetwork(address)).toBe(network);
  });

  it('keeps neighbours together and the next /24 or /64 apart', () => {
    expect(canonicalNetwork('10.1.7.1')).toBe(canonicalNetwork('10.1.7.200'));
    expect(canonicalNetwork('10.1.7.1')).not.toBe(canonicalNetwork('10.1.8.1'));
    expect(canonicalNetwork('2001:db8:0:7::1')).toBe(canonicalNetwork('2001:db8:0:7:8000::9'));
    expect(canonicalNetwork('2001:db8:0:7::1')).not.toBe(canonicalNetwork('2001:db8:0:8::1'));
  });

  it.each(['', 'ward3-ws12', 'unknown', '10.1.7', '10.1.7.256', '2001:db8::7::1', '10.1.7.0/24'])(
    '%j is not an address: no network',
    (value) => {
      expect(canonicalNetwork(value)).toBeUndefined();
    },
  );
});
