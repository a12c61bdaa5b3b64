// Benign uploads of charts to outside portals (issue #10, item 9): the twin of a
// departing employee's copies followed by a connection to a personal cloud.
// Some staff send charts to a portal as part of their job (referrals, prior
// authorisations, a registry): a few charts copied into a folder, then the
// portal contacted minutes later, on many of their days; now and then their
// portal changes. Anyone may have a patient transfer: charts uploaded to a
// receiving hospital's portal, new to them, on two to four days in a row.
// Drawn from a generator of its own, so every other event of a seed stays as it was.
import type { PortableEventInput } from '@wardwatch/shared';
import { shiftHours, type Hospital, type Staff } from './hospital';
import type { Rng } from './rng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Share of staff whose job has them upload charts to a portal. */
export const PORTAL_SHARE = 0.1;
/** Chance, per working day, that a portal user uploads. */
export const UPLOAD_CHANCE = 0.3;
/** Chance, per upload, that the portal user's portal is a new one from then on. */
const PORTAL_CHANGE_CHANCE = 0.03;
/** Chance, per working day, that someone starts a patient transfer. */
export const TRANSFER_CHANCE = 0.01;
const RANGES = ['198.51.100', '203.0.113', '192.0.2'];

/** An outside portal: addresses of the same ranges the insiders' destinations come from. */
function portal(rng: Rng): string {
  return `${rng.pick(RANGES)}.${1 + rng.int(250)}`;
}

interface Transfer {
  address: string;
  folder: string;
  daysLeft: number;
}

export class PortalUploads {
  private readonly portals = new Map<string, string>();
  private readonly transfers = new Map<string, Transfer>();

  constructor(
    hospital: Hospital,
    private readonly rng: Rng,
  ) {
    for (const person of hospital.staff) if (rng.chance(PORTAL_SHARE)) this.portals.set(person.user, portal(rng));
  }

  /** The uploads of one working day of this person. */
  today(person: Staff, dayStart: number): PortableEventInput[] {
    const day = Math.floor(dayStart / DAY);
    const events: PortableEventInput[] = [];
    const own = this.portals.get(person.user);
    if (own && this.rng.chance(UPLOAD_CHANCE)) {
      const address = this.rng.chance(PORTAL_CHANGE_CHANCE) ? portal(this.rng) : own;
      this.portals.set(person.user, address);
      events.push(...this.upload(person, dayStart, 'C:\\Users\\me\\Documents\\referrals', address, day));
    }
    let transfer = this.transfers.get(person.user);
    if (!transfer && this.rng.chance(TRANSFER_CHANCE)) {
      transfer = {
        address: portal(this.rng),
        folder: `C:\\Users\\me\\Documents\\transfer-${day}`,
        daysLeft: this.rng.range(2, 4),
      };
      this.transfers.set(person.user, transfer);
    }
    if (transfer) {
      events.push(...this.upload(person, dayStart, transfer.folder, transfer.address, day));
      transfer.daysLeft -= 1;
      if (transfer.daysLeft <= 0) this.transfers.delete(person.user);
    }
    return events;
  }

  /** 1–6 of the unit's charts copied into `folder`, then the portal contacted 1–15 minutes after the last. */
  private upload(person: Staff, dayStart: number, folder: string, address: string, day: number): PortableEventInput[] {
    const { start, length } = shiftHours(person);
    const t0 = dayStart + (start + 1) * HOUR + this.rng.int((length - 2) * 60) * MINUTE;
    const base = { v: 1 as const, user: person.user, role: person.role, unit: person.unit, host: person.hosts[0] };
    const n = this.rng.range(1, 6);
    const copies = Array.from({ length: n }, (_, i) => ({
      ...base,
      time: t0 + i * MINUTE,
      kind: 'file_copy' as const,
      path: `D:\\PHI\\${person.unit}\\${this.rng.int(12)}\\u${day}-${i}.pdf`,
      folderClass: 'phi' as const,
      targetPath: `${folder}\\u${day}-${i}.pdf`,
      targetFolderClass: 'other' as const,
      extension: 'pdf',
    }));
    const sent = t0 + (n - 1) * MINUTE + this.rng.range(1, 15) * MINUTE;
    return [...copies, { ...base, time: sent, kind: 'net_connect' as const, remoteAddress: address, remotePort: 443 }];
  }
}
