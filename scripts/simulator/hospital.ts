// The simulated hospital: staff with roles, units and shift patterns, shared
// workstations per unit, and holidays. Everything derives from the seed.
import { type Rng } from './rng';

export type Role = 'nurse' | 'physician' | 'clerk' | 'pharmacist' | 'it';
export type Shift = 'day' | 'night' | 'office';

export interface Staff {
  user: string;
  role: Role;
  unit: string;
  shift: Shift;
  /** Day offset of the person's rota, so not everyone is off on the same days. */
  rota: number;
  hosts: string[];
}

export interface Hospital {
  staff: Staff[];
  units: string[];
  hostsByUnit: Record<string, string[]>;
  holidays: Set<number>;
}

const UNITS = ['icu', 'ed', 'surgery', 'maternity', 'oncology', 'admissions', 'pharmacy', 'it'];
const ROLE_MIX: [Role, number][] = [
  ['nurse', 0.45],
  ['physician', 0.2],
  ['clerk', 0.15],
  ['pharmacist', 0.1],
  ['it', 0.1],
];

export function buildHospital(users: number, days: number, rng: Rng): Hospital {
  const hostsByUnit: Record<string, string[]> = {};
  for (const unit of UNITS)
    hostsByUnit[unit] = Array.from(
      { length: unit === 'it' ? 3 : 4 + rng.int(4) },
      (_, i) => `ws-${unit}-${String(i + 1).padStart(2, '0')}`,
    );
  const staff: Staff[] = [];
  for (let i = 0; i < users; i++) {
    const role = rng.weighted(ROLE_MIX);
    const unit =
      role === 'clerk'
        ? 'admissions'
        : role === 'pharmacist'
          ? 'pharmacy'
          : role === 'it'
            ? 'it'
            : rng.pick(['icu', 'ed', 'surgery', 'maternity', 'oncology']);
    const shift: Shift = role === 'nurse' || role === 'physician' ? (rng.chance(0.3) ? 'night' : 'day') : 'office';
    staff.push({
      user: `${role.slice(0, 2)}${String(i + 1).padStart(4, '0')}`,
      role,
      unit,
      shift,
      rota: rng.int(7),
      hosts: hostsByUnit[unit],
    });
  }
  const holidays = new Set<number>();
  for (let d = 10; d < days; d += 23 + rng.int(10)) holidays.add(d);
  return { staff, units: UNITS, hostsByUnit, holidays };
}

/** Whether someone works on day `d` (0 = a Monday): clinical staff on a 4-on/3-off rota incl. weekends. */
export function works(person: Staff, d: number, hospital: Hospital, rng: Rng): boolean {
  const weekday = d % 7;
  if (person.shift === 'office') {
    if (weekday >= 5 || hospital.holidays.has(d)) return person.role === 'it' && rng.chance(0.08);
    return !rng.chance(0.06);
  }
  if (hospital.holidays.has(d) && rng.chance(0.3)) return false;
  return (d + person.rota) % 7 < 4 && !rng.chance(0.04);
}

export function shiftHours(person: Staff): { start: number; length: number } {
  if (person.shift === 'night') return { start: 19, length: 12 };
  if (person.shift === 'day') return { start: 7, length: 12 };
  return { start: 8, length: 9 };
}
