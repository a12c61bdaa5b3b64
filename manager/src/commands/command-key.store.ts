// The manager's Ed25519 command keys: made, sealed and kept in the database (so every
// replica signs with the same key), opened in memory only to sign. The newest key not
// retired is the current one; a rotation makes a new one and keeps the previous one (still
// needed for agents that have not pinned the new key) and retires any older. Key material
// never reaches a log: errors name the key id only.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CommandKey } from '@wardwatch/proto';
import { Clock } from '../common/clock';
import type { Tx } from '../database/transaction.runner';
import { CommandKeyRepository } from './command-key.repository';
import type { CommandKeyEntity } from './command-key.entity';
import { CommandKeySealer } from './command-key.sealing';

/** First 16 hex digits of the SHA-256 of the SPKI DER, as in the contract's CommandKey.key_id. */
export function commandKeyId(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest('hex').slice(0, 16);
}

export interface CommandSigner {
  keyId: string;
  sign(bytes: Uint8Array): Buffer;
}

@Injectable()
export class CommandKeyStore {
  private readonly opened = new Map<string, KeyObject>();

  constructor(
    private readonly repo: CommandKeyRepository,
    private readonly sealer: CommandKeySealer,
    private readonly clock: Clock,
  ) {}

  /** The keys to pin (current first), made on first use when there is none. */
  async pinned(): Promise<CommandKey[]> {
    return (await this.activeOrNew()).map(toContract);
  }

  /** The current key (newest); made on first use. */
  async current(): Promise<CommandKey> {
    return toContract((await this.activeOrNew())[0]);
  }

  /** A signer with the newest active key among those the agent reported pinning; null when none is ours. */
  async signerFor(reportedKeyIds: readonly string[]): Promise<CommandSigner | null> {
    const key = (await this.repo.active()).find((k) => reportedKeyIds.includes(k.keyId));
    return key ? this.signer(key) : null;
  }

  /** A signer with the current key. */
  async currentSigner(): Promise<CommandSigner> {
    return this.signer((await this.activeOrNew())[0]);
  }

  /**
   * Makes a new key inside the caller's transaction; the one that was current stays active
   * (it signs for agents until they report the new one), any older is retired.
   */
  async rotate(tx: Tx): Promise<{ previous: CommandKey; next: CommandKey; retired: string[] }> {
    const before = await this.repo.active(tx);
    const previous = before[0] ?? (await this.create(tx));
    const next = await this.create(tx, previous.createdAt + 1);
    const retired = before.slice(1).map((k) => k.keyId);
    await this.repo.retire(retired, this.clock.now(), tx);
    return { previous: toContract(previous), next: toContract(next), retired };
  }

  private async activeOrNew(): Promise<CommandKeyEntity[]> {
    const active = await this.repo.active();
    if (active.length > 0) return active;
    await this.create();
    return this.repo.active();
  }

  private async create(tx?: Tx, notBefore = 0): Promise<CommandKeyEntity> {
    const pair = generateKeyPairSync('ed25519');
    const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
    const keyId = commandKeyId(spki);
    const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    const row: CommandKeyEntity = {
      keyId,
      publicKey: spki.toString('base64'),
      sealedPrivateKey: this.sealer.seal(pkcs8, keyId).toString('base64'),
      // Later than the previous key's time, so "newest" is unambiguous even within one millisecond.
      createdAt: Math.max(this.clock.now(), notBefore),
      retiredAt: null,
    };
    pkcs8.fill(0);
    await this.repo.insert(row, tx);
    this.opened.set(keyId, pair.privateKey);
    return row;
  }

  private signer(key: CommandKeyEntity): CommandSigner {
    let privateKey = this.opened.get(key.keyId);
    if (!privateKey) {
      let der: Buffer;
      try {
        der = this.sealer.open(Buffer.from(key.sealedPrivateKey, 'base64'), key.keyId);
      } catch {
        throw new Error(
          `command key ${key.keyId} cannot be opened: WARDWATCH_COMMAND_KEY_SECRET (or the data folder's secret file) differs from the one that sealed it`,
        );
      }
      privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      der.fill(0);
      this.opened.set(key.keyId, privateKey);
    }
    const opened = privateKey;
    return { keyId: key.keyId, sign: (bytes) => sign(null, bytes, opened) };
  }
}

function toContract(key: CommandKeyEntity): CommandKey {
  const der = Buffer.from(key.publicKey, 'base64');
  // Parsed once more so a damaged row fails here, not in every agent.
  createPublicKey({ key: der, format: 'der', type: 'spki' });
  return { keyId: key.keyId, publicKey: der };
}
