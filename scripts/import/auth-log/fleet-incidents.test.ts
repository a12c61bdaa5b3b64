import { describe, expect, it } from 'vitest';
import { linesFile, tempFolders } from '../../lib/script-test.fixture';
import { fleetIncidents, formatIncidents, type WorkstationLog } from './fleet-incidents';
import { replayAuthLog } from './replay-auth-log';

const tempFolder = tempFolders();
const READ_AT = Date.UTC(2026, 11, 31);
const at = (minute: number) => `Nov 22 03:${String(minute).padStart(2, '0')}:00`;

/** Each workstation's log replayed through the agent's collector, as the manager would receive it. */
async function fleet(logs: Record<string, string[]>): Promise<WorkstationLog[]> {
  const folder = await tempFolder('fleet-incidents');
  const out: WorkstationLog[] = [];
  for (const [host, lines] of Object.entries(logs)) {
    const path = await linesFile(folder, `${host}.log`, lines);
    out.push({ host, events: (await replayAuthLog(path, { readAt: READ_AT })).events });
  }
  return out;
}

const failed = (minute: number, host: string, pid: number, user: string, from: string) =>
  `${at(minute)} ${host} sshd[${pid}]: Failed password for invalid user ${user} from ${from} port ${40_000 + pid} ssh2`;

describe('fleetIncidents', () => {
  it('makes one spray against 50 accounts on 20 workstations one incident naming the source, with its counts', async () => {
    const logs: Record<string, string[]> = {};
    for (let a = 0; a < 50; a += 1) {
      const host = `ws-${String(a % 20).padStart(2, '0')}`;
      (logs[host] ??= []).push(failed(Math.floor(a / 5), host, 100 + a, `user${a}`, '203.0.113.5'));
    }
    // A nurse's typos elsewhere: under every threshold.
    logs['ws-00'].push(
      failed(20, 'ws-00', 900, 'nurse.kim', '10.0.0.7'),
      failed(21, 'ws-00', 901, 'nurse.kim', '10.0.0.7'),
    );

    const found = fleetIncidents(await fleet(logs));

    expect(found).toHaveLength(1);
    const [{ episode, reason }] = found;
    expect([episode.kind, episode.subject, episode.failures, episode.accounts.size, episode.workstations.size]).toEqual(
      ['source_failed_logons', '203.0.113.5', 50, 50, 20],
    );
    expect(reason).toBe(
      '50 failed logons against 50 accounts on 20 workstations from 203.0.113.5 between 2026-11-22 03:00:00 UTC and 2026-11-22 03:09:00 UTC',
    );
    expect(formatIncidents(found, 20)).toMatch(
      /: 1\n {2}source_failed_logons: 50 failed logons .* \[user0, user1, .*, … 40 more\]$/,
    );
  });

  it('opens a new incident after the source was quiet for the rule gap, and one for an account on five workstations', async () => {
    const burst = (start: number, host: string) =>
      Array.from({ length: 20 }, (_, i) =>
        failed(start + Math.floor(i / 10), host, 200 + start * 30 + i, 'root', '198.51.100.9'),
      );
    const logons = ['ws-a', 'ws-b', 'ws-c', 'ws-d', 'ws-e'].map(
      (host, i) =>
        `${at(40 + i)} ${host} sshd[${300 + i}]: Accepted password for dr.wu from 192.0.2.${i + 1} port 5${i} ssh2`,
    );

    const found = fleetIncidents(
      await fleet({
        'ws-a': [...burst(0, 'ws-a'), logons[0]],
        'ws-b': [...burst(30, 'ws-b'), logons[1]],
        'ws-c': [logons[2]],
        'ws-d': [logons[3]],
        'ws-e': [logons[4]],
      }),
    );

    expect(found.map(({ episode }) => [episode.kind, episode.subject, episode.failures, episode.events])).toEqual([
      ['source_failed_logons', '198.51.100.9', 20, 20],
      ['source_failed_logons', '198.51.100.9', 20, 20],
      // root failed on two workstations only: under the account rule's five.
      ['account_cross_host', 'dr.wu', 0, 5],
    ]);
  });
});
