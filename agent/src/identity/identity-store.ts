// The agent's identity in its data folder: private key, issued certificate,
// pinned manager CA, pseudonym key and identity.json, all 0600 (the agent's
// account only). The JSON file is written last, so its presence means the
// enrollment completed.
//
// A renewed key and certificate are first written together to one file
// (renewal-pending.json), then each over its old one, then that file is removed:
// an agent stopped half-way finishes the swap when it next loads the identity, so
// the key and certificate on disk always belong together.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const identityFiles = {
  privateKey: 'agent-key.pem',
  certificate: 'agent-cert.pem',
  ca: 'ca-cert.pem',
  pseudonymKey: 'pseudonym.key',
  identity: 'identity.json',
  renewalPending: 'renewal-pending.json',
} as const;

const RenewedPair = z.object({ privateKeyPem: z.string().min(1), certificatePem: z.string().min(1) });
export type RenewedPair = z.infer<typeof RenewedPair>;

const IdentityJson = z.object({
  agentId: z.string().min(1),
  managerAddress: z.string(),
  caFingerprint: z.string(),
  enrolledAt: z.number().int(),
});
export type IdentityInfo = z.infer<typeof IdentityJson>;

export interface AgentIdentity extends IdentityInfo {
  privateKeyPem: string;
  certificatePem: string;
  caPem: string;
  /** The site's HMAC key (local-key mode); empty in OPRF mode, where the agent holds no key. */
  pseudonymKey: Buffer;
}

export class IdentityStore {
  constructor(readonly dataDir: string) {}

  exists(): boolean {
    return existsSync(this.path('identity'));
  }

  /** Reads the stored identity; throws naming the file when one is missing or damaged. */
  load(): AgentIdentity {
    this.finishRenewal();
    const read = (file: keyof typeof identityFiles) => {
      try {
        return readFileSync(this.path(file));
      } catch (error) {
        throw new Error(`cannot read ${this.path(file)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
          cause: error,
        });
      }
    };
    const parsed = IdentityJson.safeParse(safeJson(read('identity').toString('utf8')));
    if (!parsed.success) throw new Error(`${this.path('identity')} is damaged: ${parsed.error.issues[0]?.message}`);
    return {
      ...parsed.data,
      privateKeyPem: read('privateKey').toString('utf8'),
      certificatePem: read('certificate').toString('utf8'),
      caPem: read('ca').toString('utf8'),
      pseudonymKey: Buffer.from(read('pseudonymKey').toString('utf8').trim(), 'base64'),
    };
  }

  save(identity: AgentIdentity): void {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    writeAtomic(this.path('privateKey'), identity.privateKeyPem, 0o600);
    writeAtomic(this.path('pseudonymKey'), `${identity.pseudonymKey.toString('base64')}\n`, 0o600);
    writeAtomic(this.path('certificate'), identity.certificatePem, 0o600);
    writeAtomic(this.path('ca'), identity.caPem, 0o600);
    const info: IdentityInfo = {
      agentId: identity.agentId,
      managerAddress: identity.managerAddress,
      caFingerprint: identity.caFingerprint,
      enrolledAt: identity.enrolledAt,
    };
    writeAtomic(this.path('identity'), `${JSON.stringify(info, null, 2)}\n`, 0o600);
  }

  /** Replaces the key and certificate by renewed ones; the old pair stays until the new one is on disk. */
  saveRenewed(pair: RenewedPair): void {
    writeAtomic(this.path('renewalPending'), `${JSON.stringify(pair)}\n`, 0o600);
    this.finishRenewal();
  }

  /** Completes a swap that a stop interrupted; a pending pair that does not belong together is dropped. */
  private finishRenewal(): void {
    const pendingPath = this.path('renewalPending');
    if (!existsSync(pendingPath)) return;
    const parsed = RenewedPair.safeParse(safeJson(readFileSync(pendingPath, 'utf8')));
    if (parsed.success && belongTogether(parsed.data)) {
      writeAtomic(this.path('privateKey'), parsed.data.privateKeyPem, 0o600);
      writeAtomic(this.path('certificate'), parsed.data.certificatePem, 0o600);
    }
    rmSync(pendingPath, { force: true });
  }

  path(file: keyof typeof identityFiles): string {
    return join(this.dataDir, identityFiles[file]);
  }
}

/** Write to a temporary file with the final mode, then rename: never a half-written key. */
export function writeAtomic(path: string, content: string, mode: number): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode });
  chmodSync(temp, mode); // the umask may have narrowed or the file may have existed
  renameSync(temp, path);
}

function belongTogether(pair: RenewedPair): boolean {
  try {
    return new X509Certificate(pair.certificatePem).checkPrivateKey(createPrivateKey(pair.privateKeyPem));
  } catch {
    return false;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
