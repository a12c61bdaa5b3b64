import { describe, expect, it } from 'vitest';
import { PeerGroups } from './peer-groups';
import { MAX_ROLES, PEER_PRIOR_MIN_WINDOWS, RARE_EVENTS } from './rarity';
import { MIN_HOUR_HISTORY, UserHistory } from './user-history';

const nothing = RARE_EVENTS.map(() => false);
const userOf = (role: string) => Object.assign(new UserHistory(), { role });
/** Counts `windows` windows of `role`, each active in `hour`, all of one day (so no count decays). */
const countWindows = (peers: PeerGroups, role: string, windows: number, hour: number) => {
  for (let i = 0; i < windows; i++) peers.count(role, [hour], nothing, 0);
};

describe('PeerGroups', () => {
  it("judges a newcomer by their role's hours once the role has enough, else by the fleet's", () => {
    const peers = new PeerGroups();
    countWindows(peers, 'nurse', MIN_HOUR_HISTORY - 1, 7);
    const newcomer = userOf('nurse');
    expect(peers.hourProfile(newcomer).probability(7)).toBeGreaterThan(0.5);
    // Below the minimum the role's profile is not used on its own: the fleet's is (the same hours here).
    countWindows(peers, 'clerk', MIN_HOUR_HISTORY, 22);
    expect(peers.hourProfile(newcomer).probability(22)).toBeGreaterThan(0.4);
    countWindows(peers, 'nurse', 1, 7);
    expect(peers.hourProfile(newcomer).probability(22)).toBeLessThan(0.05);
  });

  it('uses the user’s own hours once they have enough', () => {
    const peers = new PeerGroups();
    countWindows(peers, 'nurse', MIN_HOUR_HISTORY, 7);
    const user = userOf('nurse');
    for (let i = 0; i < MIN_HOUR_HISTORY; i++) user.hours.add(19);
    expect(peers.hourProfile(user)).toBe(user.hours);
  });

  it("takes the role's rates as the prior once the role has enough windows", () => {
    const peers = new PeerGroups();
    countWindows(peers, 'it', PEER_PRIOR_MIN_WINDOWS - 1, 9);
    expect(peers.rarePrior('it')).toBe(peers.rarePrior(undefined));
    countWindows(peers, 'it', 1, 9);
    expect(peers.rarePrior('it')).not.toBe(peers.rarePrior(undefined));
  });

  it('keeps no group for roles beyond MAX_ROLES (the role is hostile input)', () => {
    const peers = new PeerGroups();
    for (let r = 0; r < MAX_ROLES; r++) peers.count(`role-${r}`, [3], nothing, 0);
    countWindows(peers, 'one-too-many', MIN_HOUR_HISTORY + PEER_PRIOR_MIN_WINDOWS, 15);
    const user = userOf('one-too-many');
    // Its windows went into the fleet's profile and prior only.
    expect(peers.rarePrior('one-too-many')).toBe(peers.rarePrior(undefined));
    expect(peers.hourProfile(user).total).toBe(MAX_ROLES + MIN_HOUR_HISTORY + PEER_PRIOR_MIN_WINDOWS);
  });
});
