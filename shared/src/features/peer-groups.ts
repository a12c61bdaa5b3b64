// What a user's peer group (their role) and the whole fleet do: the hours they
// are active and how often each first-time event happens. A user with too little
// history of their own is judged against these: the cold start of the hour
// profile, and the prior of every rarity (rarity.ts).
import { MAX_ROLES, PEER_PRIOR_MIN_WINDOWS, RareEventCounts } from './rarity';
import { HourProfile, MIN_HOUR_HISTORY, type UserHistory } from './user-history';

interface Group {
  hours: HourProfile;
  rare: RareEventCounts;
}

export class PeerGroups {
  private readonly fleet: Group = { hours: new HourProfile(), rare: new RareEventCounts() };
  private readonly roles = new Map<string, Group>();

  /** The hour profile used for a user: their own once they have enough history, else their role's, else the fleet's. */
  hourProfile(history: UserHistory): HourProfile {
    if (history.hours.total >= MIN_HOUR_HISTORY) return history.hours;
    const role = history.role ? this.roles.get(history.role)?.hours : undefined;
    if (role && role.total >= MIN_HOUR_HISTORY) return role;
    return this.fleet.hours;
  }

  /** The prior of a user's rare-event rates: their role's once it has seen enough windows, else the fleet's. */
  rarePrior(role: string | undefined): RareEventCounts {
    const peer = this.group(role)?.rare;
    return peer && peer.windows >= PEER_PRIOR_MIN_WINDOWS ? peer : this.fleet.rare;
  }

  /** Counts a closed window's active hours and first-time events for the fleet and the user's role. */
  count(role: string | undefined, hours: Iterable<number>, happened: readonly boolean[], start: number): void {
    const groups = [this.fleet, this.group(role)];
    for (const group of groups) group?.rare.add(happened, start);
    for (const hour of hours) for (const group of groups) group?.hours.add(hour);
  }

  /** The role's group; beyond MAX_ROLES roles (the role is hostile input) a new role has none. */
  private group(role: string | undefined): Group | undefined {
    if (!role) return undefined;
    let group = this.roles.get(role);
    if (!group && this.roles.size < MAX_ROLES) {
      group = { hours: new HourProfile(), rare: new RareEventCounts() };
      this.roles.set(role, group);
    }
    return group;
  }
}
