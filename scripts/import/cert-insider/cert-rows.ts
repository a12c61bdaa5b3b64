// One row of a CERT table mapped to a portable event (README.md has the table).
// Pure and total: a row this cannot map is a skip with a reason, never a throw,
// and every string is cut to the schema's limit, since the files are not ours.
import type { PortableEventInput } from '@wardwatch/shared';
import type { CsvRecord } from './csv-file';
import { parseCertDate } from './cert-date';
import { cap, LIMITS } from './field-limits';

export type CertTable = 'logon' | 'device' | 'file' | 'http' | 'email';
/** In the order they are read: logon.csv first, the only required one. */
export const CERT_TABLES: readonly CertTable[] = ['logon', 'device', 'file', 'http', 'email'];

/** The columns a table's header must have (more are ignored; r6 adds some). */
export const REQUIRED_COLUMNS: Readonly<Record<CertTable, readonly string[]>> = {
  logon: ['id', 'date', 'user', 'pc', 'activity'],
  device: ['id', 'date', 'user', 'pc', 'activity'],
  file: ['id', 'date', 'user', 'pc', 'filename'],
  http: ['id', 'date', 'user', 'pc', 'url'],
  email: ['id', 'date', 'user', 'pc'],
};

/**
 * CERT's column layouts by field count, for a table written without a header row (r1's `http.csv`
 * has none): the first line is then a row, recognised by its id in braces.
 */
const LAYOUTS: Readonly<Record<CertTable, readonly (readonly string[])[]>> = {
  logon: [['id', 'date', 'user', 'pc', 'activity']],
  device: [
    ['id', 'date', 'user', 'pc', 'activity'],
    ['id', 'date', 'user', 'pc', 'file_tree', 'activity'],
  ],
  file: [
    ['id', 'date', 'user', 'pc', 'filename', 'content'],
    ['id', 'date', 'user', 'pc', 'filename', 'activity', 'to_removable_media', 'from_removable_media', 'content'],
  ],
  http: [
    ['id', 'date', 'user', 'pc', 'url'],
    ['id', 'date', 'user', 'pc', 'url', 'content'],
    ['id', 'date', 'user', 'pc', 'url', 'activity', 'content'],
  ],
  email: [
    ['id', 'date', 'user', 'pc', 'to', 'cc', 'bcc', 'from', 'size', 'attachments', 'content'],
    ['id', 'date', 'user', 'pc', 'to', 'cc', 'bcc', 'from', 'activity', 'size', 'attachments', 'content'],
  ],
};

/** The columns of a table whose first line is a row, not a header (undefined: it is the header). */
export function headerlessLayout(table: CertTable, firstLine: readonly string[]): readonly string[] | undefined {
  if (!/^\{[^}]*\}$/.test(firstLine[0]?.trim() ?? '')) return undefined;
  return LAYOUTS[table].find((columns) => columns.length === firstLine.length);
}

/** Why a row that has an id, a date, a user and a pc gives no event. */
export type MapSkip = 'email' | 'file_open' | 'unknown_activity' | 'bad_url' | 'bad_row';

/** What every CERT row has; null from `readRowBase` makes the row a bad row. */
export interface CertRowBase {
  id: string;
  time: number;
  user: string;
  host: string;
}

/** A drive letter of our own: CERT names no target for a copy to removable media. */
export const REMOVABLE_PREFIX = 'removable:\\';

/**
 * Some releases write the user as `DTAA/ABC0123` while the directory and the answers name
 * `ABC0123`: the domain is dropped, as the agent's pseudonyms drop it, so both meet.
 */
const withoutDomain = (user: string) => user.slice(Math.max(user.lastIndexOf('/'), user.lastIndexOf('\\')) + 1);

export function readRowBase(record: CsvRecord): CertRowBase | null {
  const id = record.get('id')?.trim() ?? '';
  const time = parseCertDate(record.get('date') ?? '');
  const user = cap(withoutDomain(record.get('user')?.trim() ?? ''), LIMITS.name);
  const host = cap(record.get('pc')?.trim() ?? '', LIMITS.name);
  if (id === '' || time === null || user === '' || host === '') return null;
  return { id, time, user, host };
}

/** The event of one row, without the directory facts and the label (the caller adds those). */
export function mapCertRow(
  table: CertTable,
  base: CertRowBase,
  record: CsvRecord,
): { event: PortableEventInput } | { skip: MapSkip } {
  const common = { v: 1 as const, time: base.time, host: base.host, user: base.user };
  const activity = record.get('activity')?.trim().toLowerCase();
  switch (table) {
    case 'logon':
      // A screen unlock is a CERT `Logon` too: there are more logons than logoffs.
      if (activity === 'logon') return { event: { ...common, kind: 'logon' } };
      if (activity === 'logoff') return { event: { ...common, kind: 'logoff' } };
      return { skip: 'unknown_activity' };
    case 'device': {
      const device = { deviceType: 'usb-storage', removable: true };
      if (activity === 'connect') return { event: { ...common, kind: 'device_connect', ...device } };
      if (activity === 'disconnect') return { event: { ...common, kind: 'device_disconnect', ...device } };
      return { skip: 'unknown_activity' };
    }
    case 'file':
      return mapFileRow(common, record, activity);
    case 'http': {
      const remote = urlRemote(record.get('url') ?? '');
      return remote ? { event: { ...common, kind: 'net_connect', ...remote } } : { skip: 'bad_url' };
    }
    case 'email':
      // The format has no email kind: the row is counted, not written.
      return { skip: 'email' };
  }
}

type Common = { v: 1; time: number; host: string; user: string };

function mapFileRow(
  common: Common,
  record: CsvRecord,
  activity: string | undefined,
): { event: PortableEventInput } | { skip: MapSkip } {
  const filename = record.get('filename')?.trim() ?? '';
  if (filename === '') return { skip: 'bad_row' };
  const file = { path: cap(filename, LIMITS.path), extension: extensionOf(filename) };
  const onRemovable = cap(`${REMOVABLE_PREFIX}${baseName(filename)}`, LIMITS.path);
  // r4.x has no activity column: every row is a file copied to a removable drive.
  if (activity === undefined)
    return {
      event: { ...common, kind: 'file_copy', ...file, folderClass: 'other', ...toRemovable(onRemovable) },
    };
  const to = isTrue(record.get('to_removable_media'));
  const from = isTrue(record.get('from_removable_media'));
  switch (activity) {
    case 'file open':
      // The live agent reports reads only of patient-data folders a read rule audits, and CERT's
      // files are none: a `file_read` of any other file would be evidence the agent never has.
      return { skip: 'file_open' };
    case 'file write':
      return { event: { ...common, kind: 'file_write', ...file, folderClass: to ? 'removable' : 'other' } };
    case 'file delete':
      return { event: { ...common, kind: 'file_delete', ...file, folderClass: to || from ? 'removable' : 'other' } };
    case 'file copy':
      return {
        event: {
          ...common,
          kind: 'file_copy',
          ...file,
          folderClass: from ? 'removable' : 'other',
          ...(to ? toRemovable(onRemovable) : { targetPath: file.path, targetFolderClass: 'other' as const }),
        },
      };
    default:
      return { skip: 'unknown_activity' };
  }
}

const toRemovable = (targetPath: string) => ({ targetPath, targetFolderClass: 'removable' as const });

/** The host of a URL and its port (given, else 443 for https, else 80); null if there is no host. */
export function urlRemote(text: string): { remoteAddress: string; remotePort: number } | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.hostname === '' || url.hostname.length > LIMITS.name) return null;
  const remotePort = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { remoteAddress: url.hostname, remotePort };
}

/** The file name after the last `\` or `/`; the whole text if that leaves nothing. */
export function baseName(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
  return name === '' ? path : name;
}

/** Lower case, without the dot, at most 32 characters; absent for `name`, `.profile` or `name.`. */
export function extensionOf(path: string): string | undefined {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return cap(name.slice(dot + 1).toLowerCase(), LIMITS.extension);
}

/** CERT writes `True` / `False`; anything but a true is false. */
function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}
