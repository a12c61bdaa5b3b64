// An authorised open of one sealed file (the tray's and the local API's path; the CLI's
// `unseal` is the same with a path out). Checked here against the policy in force: the
// file must be a `.wwsealed` file under one of the folders the tier names (sealing on or
// not: a tier that dropped still names the folders whose files it sealed), reached
// without a link out of them; the clear copy goes to `openedDir`, which must not lie
// under a sealed folder (a sweep would seal it again while it is read), and the sealed
// original stays as it is. The manager unwraps the data key only for a live agent and
// KEK, and audits the open with the user's pseudonym token and the reason (seal.unwrap).
import { mkdir, realpath } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { SealError } from './seal-error';
import { SEALED_SUFFIX } from './sealed-header';
import { unsealFile, type UnwrapRequest } from './sealed-file';

export interface AuthorisedOpenDeps {
  /** The folders of the policy in force, `~/` resolved. */
  folders: () => readonly string[];
  /** Where clear copies are written (created 0700 when missing). */
  openedDir: string;
  unwrap: (request: UnwrapRequest, userToken: string, reason: string) => Promise<Buffer>;
}

export interface OpenRequest {
  path: string;
  /** The local user's pseudonym token (u_…): the manager audits who opened. */
  userToken: string;
  reason: string;
}

export interface OpenResult {
  out: string;
  policyVersion: number;
  keyId: string;
}

export class AuthorisedOpen {
  constructor(private readonly deps: AuthorisedOpenDeps) {}

  async open(request: OpenRequest): Promise<OpenResult> {
    const reason = request.reason.trim();
    if (reason.length < 5) throw new SealError('bad_input', 'say why the file is opened (5 characters or more)');
    if (!isAbsolute(request.path) || !request.path.endsWith(SEALED_SUFFIX))
      throw new SealError('bad_input', 'give the absolute path of a .wwsealed file');
    const real = await realpath(request.path).catch(() => {
      throw new SealError('bad_input', 'no such sealed file');
    });
    const folders = await this.realFolders();
    if (!folders.some((f) => under(f, real)))
      throw new SealError('not_allowed', 'this file is not in a folder the policy in force seals');
    if (folders.some((f) => under(f, this.deps.openedDir) || f === this.deps.openedDir))
      throw new SealError('not_allowed', 'the folder for opened files lies in a sealed folder');
    await mkdir(this.deps.openedDir, { recursive: true, mode: 0o700 });
    const out = join(this.deps.openedDir, basename(real).slice(0, -SEALED_SUFFIX.length));
    const header = await unsealFile(real, out, (r) => this.deps.unwrap(r, request.userToken, reason));
    return { out, policyVersion: header.policyVersion, keyId: header.keyId };
  }

  private async realFolders(): Promise<string[]> {
    const found = await Promise.all(this.deps.folders().map((f) => realpath(f).catch(() => null)));
    return found.filter((f): f is string => f !== null);
  }
}

function under(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
