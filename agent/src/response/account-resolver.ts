// Commands name a user by the pipeline's pseudonym (the manager never holds the clear
// name). The workstation finds the account by computing the same pseudonym for each
// local account in /etc/passwd and matching it.
import { readFileSync } from 'node:fs';
import type { LocalAccount } from './actions/response-actions';

export interface AccountResolver {
  resolve(token: string): LocalAccount | null;
}

export class PasswdAccountResolver implements AccountResolver {
  constructor(
    private readonly pseudonym: (name: string) => string,
    private readonly passwdPath = '/etc/passwd',
  ) {}

  resolve(token: string): LocalAccount | null {
    if (!token) return null;
    let text: string;
    try {
      text = readFileSync(this.passwdPath, 'utf8');
    } catch {
      return null;
    }
    for (const account of parsePasswd(text)) if (this.pseudonym(account.name) === token) return account;
    return null;
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
