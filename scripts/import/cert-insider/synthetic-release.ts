// A synthetic release in the CERT layout, for the importer's end-to-end test and
// its bench: staff who log on in office hours on weekdays, browse, some with a
// thumb drive, and optionally one insider who, in the last week, logs on after
// hours, connects a thumb drive for the first time and copies files to it (CERT's
// scenario 1), listed in an answers folder as CERT lists its insiders. Nothing in
// it is CERT's data: it only follows the files' layout.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Rng } from '../../simulator/rng';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A Monday. */
export const SYNTHETIC_START = Date.UTC(2010, 0, 4);

export interface SyntheticRelease {
  users: number;
  days: number;
  /** Web rows per user and working day. */
  webPerDay: number;
  /** Every how many users one uses a thumb drive daily (0: none). */
  usbEvery?: number;
  /** An insider from this day on (scenario 1), listed in `<dir>/answers`. */
  insiderFromDay?: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
export function certDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
export const syntheticUser = (i: number) => `SYN${String(i).padStart(4, '0')}`;

class Table {
  private readonly out;
  private count = 0;
  constructor(path: string, header: string) {
    this.out = createWriteStream(path);
    this.out.write(`${header}\n`);
  }
  /** Writes a row; returns its id. */
  async row(prefix: string, fields: (string | number)[]): Promise<string> {
    const id = `{${prefix}-${(this.count += 1).toString(36).toUpperCase().padStart(8, '0')}}`;
    if (!this.out.write(`${[id, ...fields].join(',')}\n`)) await once(this.out, 'drain');
    return id;
  }
  async close(): Promise<void> {
    this.out.end();
    await finished(this.out);
  }
}

/** Writes the release into `dir` (and `dir/answers` with an insider); returns the number of rows. */
export async function writeSyntheticRelease(dir: string, spec: SyntheticRelease): Promise<number> {
  const rng = new Rng(7);
  const rnd = () => rng.next();
  await mkdir(join(dir, 'LDAP'), { recursive: true });
  const roles = ['Salesman', 'Technician', 'ITAdmin', 'Engineer'];
  await writeFile(
    join(dir, 'LDAP', '2010-01.csv'),
    [
      'employee_name,user_id,email,role,business_unit,functional_unit,department,team,supervisor',
      ...Array.from({ length: spec.users }, (_, u) => {
        const role = roles[u % roles.length];
        return `Staff ${u},${syntheticUser(u)},s${u}@corp.example,${role},1,${1 + (u % 3)} - Unit,Dept ${u % 3},Team ${u % 5},Boss`;
      }),
      '',
    ].join('\n'),
  );
  const logon = new Table(join(dir, 'logon.csv'), 'id,date,user,pc,activity');
  const device = new Table(join(dir, 'device.csv'), 'id,date,user,pc,activity');
  const file = new Table(join(dir, 'file.csv'), 'id,date,user,pc,filename,content');
  const http = new Table(join(dir, 'http.csv'), 'id,date,user,pc,url,content');
  const malicious: string[] = [];
  const insider = spec.insiderFromDay === undefined ? -1 : spec.users - 1;
  let rows = 0;
  for (let day = 0; day < spec.days; day += 1) {
    if (day % 7 >= 5) continue;
    for (let u = 0; u < spec.users; u += 1) {
      const user = syntheticUser(u);
      const pc = `PC-${1000 + u}`;
      const start = SYNTHETIC_START + day * DAY + (7.5 + rnd()) * HOUR;
      const end = start + (8 + rnd()) * HOUR;
      await logon.row('L', [certDate(start), user, pc, 'Logon']);
      for (let w = 0; w < spec.webPerDay; w += 1)
        await http.row('H', [
          certDate(start + rnd() * (end - start)),
          user,
          pc,
          `http://site${Math.floor(rnd() * 40)}.example.com/p${w}`,
          'news',
        ]);
      if (spec.usbEvery && u % spec.usbEvery === 0 && u !== insider) {
        const t = start + 2 * HOUR;
        await device.row('D', [certDate(t), user, pc, 'Connect']);
        await file.row('F', [certDate(t + 60_000), user, pc, `R${day}${u}.doc`, 'D0-CF-11-E0 report']);
        await device.row('D', [certDate(t + 5 * 60_000), user, pc, 'Disconnect']);
        rows += 3;
      }
      await logon.row('L', [certDate(end), user, pc, 'Logoff']);
      rows += 2 + spec.webPerDay;
      if (u === insider && day >= (spec.insiderFromDay ?? Infinity)) {
        // After hours: a logon, a first thumb drive, files copied to it.
        const t = SYNTHETIC_START + day * DAY + 22 * HOUR + rnd() * HOUR;
        const line = (table: string, fields: (string | number)[], id: string) =>
          malicious.push([table, id, ...fields].join(','));
        const logonRow = [certDate(t), user, pc, 'Logon'];
        line('logon', logonRow, await logon.row('L', logonRow));
        const connect = [certDate(t + 60_000), user, pc, 'Connect'];
        line('device', connect, await device.row('D', connect));
        for (let f = 0; f < 25; f += 1) {
          const copy = [certDate(t + (2 + f) * 60_000), user, pc, `X${day}${f}.pdf`, '25-50-44-46 plans'];
          line('file', copy, await file.row('F', copy));
        }
        rows += 27;
      }
    }
  }
  await Promise.all([logon.close(), device.close(), file.close(), http.close()]);
  if (insider >= 0) {
    const details = `r4.2-1-${syntheticUser(insider)}.csv`;
    await mkdir(join(dir, 'answers', 'r4.2-1'), { recursive: true });
    await writeFile(
      join(dir, 'answers', 'insiders.csv'),
      `dataset,scenario,details,user,start,end\n4.2,1,${details},${syntheticUser(insider)},,\n`,
    );
    await writeFile(join(dir, 'answers', 'r4.2-1', details), `${malicious.join('\n')}\n`);
  }
  return rows;
}
