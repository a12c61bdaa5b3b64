// Commands name a user by the pipeline's pseudonym (the manager never holds the clear
// name). The workstation finds the account by computing the same pseudonym for each
// local account in /etc/passwd and matching it. In OPRF mode a local account this
// workstation has not seen in an event yet has no token in the cache: the tokens of all
// local accounts are asked for together (one EvaluatePseudonyms call for a few tens of
// names) and the match waits for them — a command arrives over the manager's stream, so
// the manager is there to answer. `warm` asks for them at start, so usually none wait.
import { readFileSync } from 'node:fs';
import type { LocalAccount } from './actions/response-actions';

export interface AccountResolver {
  /** The local account whose pseudonym is `token`; null when none is; rejects when tokens cannot be had. */
  resolve(token: string): Promise<LocalAccount | null>;
}

/** The pipeline's user pseudonyms of `names`, in order (waiting for late tokens in OPRF mode). */
export type UserTokens = (names: readonly string[]) => Promise<string[]>;

export class PasswdAccountResolver implements AccountResolver {
  constructor(
    private readonly tokensOf: UserTokens,
    private readonly passwdPath = '/etc/passwd',
  ) {}

  async resolve(token: string): Promise<LocalAccount | null> {
    if (!token) return null;
    const accounts = this.accounts();
    const tokens = await this.tokensOf(accounts.map((a) => a.name));
    const index = tokens.indexOf(token);
    return index < 0 ? null : accounts[index];
  }

  /** Asks for every local account's token now (OPRF mode), so a later command finds them cached. */
  warm(): Promise<unknown> {
    return this.tokensOf(this.accounts().map((a) => a.name));
  }

  private accounts(): LocalAccount[] {
    try {
      return parsePasswd(readFileSync(this.passwdPath, 'utf8'));
    } catch {
      return [];
    }
  }
}

/** name:x:uid:… lines; comments and malformed lines are skipped. */
export function parsePasswd(text: string): LocalAccount[] {
  const accounts: LocalAccount[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , uid] = line.split(':');
    if (!name || uid === undefined || !/^\d+$/.test(uid)) continue;
    accounts.push({ name, uid: Number(uid) });
  }
  return accounts;
}
