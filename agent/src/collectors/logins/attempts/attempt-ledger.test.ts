// The ledger on lines read by the real auth-log parser: each form of a failed
// attempt, alone and with the other lines the same attempt writes.
import { describe, expect, it } from 'vitest';
import { parseLinuxAuthLine } from '../parsers/linux-auth-line';
import type { ParsedLogin } from '../parsers/parse-result';
import { AttemptLedger } from './attempt-ledger';

const ctx = { year: 2026, utcOffsetMinutes: 0 };

function run(lines: string[], ledger = new AttemptLedger()): ParsedLogin[] {
  return lines.flatMap((line) => {
    const r = parseLinuxAuthLine(line, ctx);
    if (r.kind === 'error') throw new Error(`${r.reason}: ${line}`);
    return r.kind === 'login' ? ledger.accept(r.value) : [];
  });
}

const failures = (out: ParsedLogin[]) =>
  out
    .filter((l) => l.login.action === 'failed_logon')
    .map((l) => `${l.user}@${l.login.sourceIp || l.login.sourceHost || l.login.tty || '-'}`);

const t = (s: number) => `Nov 22 10:00:${String(s).padStart(2, '0')} ws1`;

describe('AttemptLedger', () => {
  it('counts the three lines of one invalid-user attempt once, with the user and port of the sshd lines', () => {
    const out = run([
      `${t(1)} sshd[100]: Invalid user oracle from 203.0.113.5 port 40001`,
      `${t(1)} sshd[100]: pam_unix(sshd:auth): check pass; user unknown`,
      `${t(1)} sshd[100]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5`,
      `${t(3)} sshd[100]: Failed password for invalid user oracle from 203.0.113.5 port 40001 ssh2`,
    ]);
    expect(failures(out)).toEqual(['oracle@203.0.113.5']);
    expect(out[0].login.sourcePort).toBe(40001);
  });

  it('takes the user a PAM line lacks from the connection when PAM comes after the sshd line', () => {
    const out = run([
      `${t(1)} sshd[101]: Failed password for invalid user pi from 203.0.113.6 port 40002 ssh2`,
      `${t(2)} sshd[101]: Failed password for invalid user pi from 203.0.113.6 port 40002 ssh2`,
      `${t(3)} sshd[101]: PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.6`,
    ]);
    expect(failures(out)).toEqual(['pi@203.0.113.6', 'pi@203.0.113.6']);
  });

  it('counts PAM first, then sshd, for an existing account, once per try', () => {
    const out = run([
      `${t(1)} sshd[102]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.9  user=root`,
      `${t(2)} sshd[102]: Failed password for root from 198.51.100.9 port 50000 ssh2`,
      `${t(4)} sshd[102]: Failed password for root from 198.51.100.9 port 50000 ssh2`,
      `${t(6)} sshd[102]: message repeated 3 times: [ Failed password for root from 198.51.100.9 port 50000 ssh2]`,
      `${t(7)} sshd[102]: error: maximum authentication attempts exceeded for root from 198.51.100.9 port 50000 ssh2 [preauth]`,
      `${t(7)} sshd[102]: Disconnecting: Too many authentication failures for root [preauth]`,
      `${t(7)} sshd[102]: PAM 4 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.9  user=root`,
    ]);
    expect(failures(out)).toEqual(Array(5).fill('root@198.51.100.9'));
  });

  it('counts a repeat N times and PAM N more as N more when the other layer is silent', () => {
    expect(
      failures(
        run([`${t(1)} sshd[103]: message repeated 4 times: [ Failed password for root from 192.0.2.1 port 1 ssh2]`]),
      ),
    ).toHaveLength(4);
    expect(
      failures(
        run([
          `${t(1)} login[104]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=tty2 ruser= rhost=  user=grace`,
          `${t(9)} login[104]: pam_unix(login:auth): 2 more authentication failures; logname=LOGIN uid=0 euid=0 tty=tty2 ruser= rhost=  user=grace`,
        ]),
      ),
    ).toEqual(['grace@tty2', 'grace@tty2', 'grace@tty2']);
  });

  it('lets a summary count once only for a connection nothing else counted, and never for nobody', () => {
    expect(
      failures(
        run([
          `${t(1)} sshd[105]: Disconnecting authenticating user alice 192.0.2.7 port 7: Too many authentication failures [preauth]`,
        ]),
      ),
    ).toEqual(['alice@192.0.2.7']);
    const ledger = new AttemptLedger();
    expect(run([`${t(1)} sshd[106]: Disconnecting: Too many authentication failures [preauth]`], ledger)).toEqual([]);
    expect(ledger.stats.dropped).toBe(1);
  });

  it('pairs login and su program lines with their PAM lines by pid', () => {
    const out = run([
      `${t(1)} login[107]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=tty1 ruser= rhost=  user=root`,
      `${t(3)} login[107]: FAILED LOGIN 1 FROM tty1 FOR root, Authentication failure`,
      `${t(9)} login[107]: FAILED LOGIN 2 FROM tty1 FOR root, Authentication failure`,
      `${t(9)} login[107]: TOO MANY LOGIN TRIES (2) on '/dev/tty1' FOR 'root'`,
      `${t(4)} su[108]: pam_unix(su:auth): authentication failure; logname=alice uid=1001 euid=0 tty=/dev/pts/1 ruser=alice rhost=  user=root`,
      `${t(5)} su[108]: FAILED SU (to root) alice on pts/1`,
    ]);
    expect(failures(out)).toEqual(['root@tty1', 'root@tty1', 'alice@pts/1']);
  });

  it('starts a new connection when the pid is reused by another source or after the window', () => {
    const out = run([
      `${t(1)} sshd[109]: Failed password for root from 192.0.2.1 port 1 ssh2`,
      `${t(2)} sshd[109]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.2  user=root`,
      `Nov 22 10:20:00 ws1 sshd[109]: Failed password for root from 192.0.2.1 port 1 ssh2`,
    ]);
    expect(failures(out)).toEqual(['root@192.0.2.1', 'root@192.0.2.2', 'root@192.0.2.1']);
  });

  it("waits for sshd's address when PAM names the source by its host name first (as a public sshd log does)", () => {
    const ledger = new AttemptLedger();
    const out = run(
      [
        `${t(1)} sshd[111]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=dsl-7.example.net  user=root`,
        `${t(13)} sshd[111]: Failed password for root from 192.0.2.7 port 4000 ssh2`,
        `${t(26)} sshd[111]: message repeated 2 times: [ Failed password for root from 192.0.2.7 port 4000 ssh2]`,
        `${t(26)} sshd[111]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=dsl-7.example.net  user=root`,
      ],
      ledger,
    );
    expect(failures(out)).toEqual(Array(3).fill('root@192.0.2.7'));
    // The first keeps its own time and the name PAM gave.
    expect(out[0].timeMs).toBe(Date.UTC(2026, 10, 22, 10, 0, 1));
    expect(out[0].login.sourceHost).toBe('dsl-7.example.net');
    expect(ledger.stats.held).toBe(0);
  });

  it('reports a failure known only by a host name as it is once its hold ends, never dropping it', () => {
    const ledger = new AttemptLedger();
    const pam = (pid: number, s: number) =>
      `${t(s)} sshd(pam_unix)[${pid}]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=scan-9.example.org  user=root`;
    expect(run([pam(112, 1), pam(113, 20)], ledger)).toEqual([]);
    expect(ledger.stats.held).toBe(2);
    // 30 s of log time later another line releases the first; the end of the log, the rest.
    expect(failures(run([`${t(31)} sshd[114]: Accepted password for bob from 192.0.2.3 port 4 ssh2`], ledger))).toEqual(
      ['root@scan-9.example.org'],
    );
    expect(failures(ledger.flush())).toEqual(['root@scan-9.example.org']);
    expect(ledger.stats.held).toBe(0);
  });

  it('lets a quiet log report held failures once the hold has passed on the clock', () => {
    let clock = 1_000_000;
    const ledger = new AttemptLedger(undefined, () => clock);
    run(
      [
        `${t(1)} sshd[115]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=dsl-8.example.net  user=admin`,
      ],
      ledger,
    );
    clock += 29_000;
    expect(ledger.releaseStale()).toEqual([]);
    clock += 1_000;
    expect(failures(ledger.releaseStale())).toEqual(['admin@dsl-8.example.net']);
  });

  it('keeps lines of different hosts and programs apart, and passes logons through', () => {
    const out = run([
      `${t(1)} sshd[110]: Failed password for bob from 192.0.2.3 port 3 ssh2`,
      `Nov 22 10:00:01 ws2 sshd[110]: Failed password for bob from 192.0.2.3 port 3 ssh2`,
      `${t(2)} sshd[110]: Accepted password for bob from 192.0.2.3 port 4 ssh2`,
    ]);
    expect(out.map((l) => l.login.action)).toEqual(['failed_logon', 'failed_logon', 'logon']);
  });
});
