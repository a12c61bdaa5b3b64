// Key custody for sealed files: each workstation has a key-encryption key (X25519) whose
// public half the agent seals with (offline) and whose private half stays here, sealed
// under the master key. Opening a file needs this service to unwrap its data key, so a
// revoked agent or KEK opens nothing and every open is audited (`seal.unwrap`, with the
// user's token and the reason). Rotation adds a version; older ones still unwrap, and
// re-wrap moves data keys to the newest without the data being read.
//
// No key material in logs or audit rows: errors and details name key ids and versions only.
import { Injectable } from '@nestjs/common';
import type { KekList, KekRevocation, KekRotation } from '@wardwatch/shared';
import { DataKeyWrapError, generateKek, unwrapDataKey, wrapDataKey } from '@wardwatch/shared/sealing';
import { AgentService } from '../agents/agent.service';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { KeyError } from './key.errors';
import type { RewrapRequest, UnwrapRequest, WrappedDataKey } from './key.schemas';
import { MasterKeyProvider } from './master-key.provider';
import type { WorkstationKekEntity } from './workstation-kek.entity';
import { WorkstationKekRepository } from './workstation-kek.repository';

export interface PublicKek {
  keyId: string;
  version: number;
  publicKey: Buffer;
}

export type RewrapResult = { ok: true; wrappedKey: Buffer } | { ok: false; error: string };

@Injectable()
export class KeyService {
  constructor(
    private readonly keks: WorkstationKekRepository,
    private readonly master: MasterKeyProvider,
    private readonly agents: AgentService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /** The KEK the agent seals with now; issued (audited) on first use or after a revocation. */
  async current(agentId: string): Promise<PublicKek> {
    await this.liveAgent(agentId);
    const existing = await this.keks.current(agentId);
    if (existing) return toPublic(existing);
    return this.transactions.run(async (tx) => {
      const made = await this.create(agentId, `kek_${this.random.bytes(16).toString('hex')}`, 1, tx);
      await this.audit.append(
        {
          actor: `agent:${agentId}`,
          action: 'kek.issued',
          target: agentId,
          details: { keyId: made.keyId, version: 1 },
        },
        tx,
      );
      return toPublic(made);
    });
  }

  /** The data key of one file, for an authorised open; refused (and audited) for a revoked agent or KEK. */
  async unwrap(agentId: string, request: UnwrapRequest): Promise<Buffer> {
    const where = { keyId: request.keyId, version: request.kekVersion };
    const refuse = async (error: KeyError): Promise<never> => {
      await this.audit.append({
        actor: `agent:${agentId}`,
        action: 'seal.unwrap_refused',
        target: agentId,
        details: { ...where, code: error.code, userToken: request.userToken, reason: request.reason },
      });
      throw error;
    };
    const agent = await this.agents.find(agentId);
    if (!agent) return refuse(new KeyError('not_found', 'no such agent'));
    if (agent.status === 'revoked') return refuse(new KeyError('agent_revoked', 'this agent is revoked'));
    const row = await this.keks.find(request.keyId, request.kekVersion);
    if (!row || row.agentId !== agentId) return refuse(new KeyError('not_found', 'no such key for this agent'));
    if (row.revokedAt !== null) return refuse(new KeyError('kek_revoked', 'this key has been revoked'));
    let dataKey: Buffer;
    try {
      dataKey = await this.open(row, request);
    } catch (error) {
      if (error instanceof KeyError) return refuse(error);
      throw error;
    }
    await this.audit.append({
      actor: `agent:${agentId}`,
      action: 'seal.unwrap',
      target: agentId,
      details: { ...where, policyVersion: request.policyVersion, userToken: request.userToken, reason: request.reason },
    });
    return dataKey;
  }

  /** Each data key wrapped again under the newest version of its KEK, in order; the data is never seen. */
  async rewrap(agentId: string, request: RewrapRequest): Promise<{ version: number; results: RewrapResult[] }> {
    await this.liveAgent(agentId);
    const target = await this.keks.current(agentId);
    if (!target || target.keyId !== request.keyId) {
      const any = await this.keks.find(request.keyId, 1);
      if (any?.agentId === agentId && any.revokedAt !== null)
        throw new KeyError('kek_revoked', 'this key has been revoked');
      throw new KeyError('not_found', 'no such key for this agent');
    }
    const publicKey = Buffer.from(target.publicKey, 'base64');
    const rows = new Map<number, WorkstationKekEntity | null>();
    const results: RewrapResult[] = [];
    for (const item of request.keys) {
      if (!rows.has(item.kekVersion)) rows.set(item.kekVersion, await this.keks.find(request.keyId, item.kekVersion));
      const row = rows.get(item.kekVersion);
      if (!row || row.agentId !== agentId || row.revokedAt !== null) {
        results.push({ ok: false, error: 'no such version of this key' });
        continue;
      }
      try {
        const dataKey = await this.open(row, item);
        const wrappedKey = wrapDataKey(publicKey, dataKey, {
          keyId: target.keyId,
          kekVersion: target.version,
          headerDigest: item.headerDigest,
        });
        dataKey.fill(0);
        results.push({ ok: true, wrappedKey });
      } catch (error) {
        if (!(error instanceof KeyError)) throw error;
        results.push({ ok: false, error: error.message });
      }
    }
    await this.audit.append({
      actor: `agent:${agentId}`,
      action: 'seal.rewrap',
      target: agentId,
      details: {
        keyId: target.keyId,
        version: target.version,
        fromVersions: [...rows.keys()].sort((a, b) => a - b),
        rewrapped: results.filter((r) => r.ok).length,
        refused: results.filter((r) => !r.ok).length,
      },
    });
    return { version: target.version, results };
  }

  /** A new version of the agent's KEK; the older ones stay to unwrap until re-wrapped. */
  async rotate(agentId: string, actor: string): Promise<KekRotation> {
    await this.liveAgent(agentId);
    return this.transactions.run(async (tx) => {
      const before = await this.keks.current(agentId, tx);
      const keyId = before?.keyId ?? `kek_${this.random.bytes(16).toString('hex')}`;
      const made = await this.create(agentId, keyId, (before?.version ?? 0) + 1, tx, before?.createdAt);
      await this.audit.append(
        {
          actor,
          action: 'kek.rotated',
          target: agentId,
          details: { keyId, version: made.version, previousVersion: before?.version ?? 0 },
        },
        tx,
      );
      return { keyId, version: made.version, previousVersion: before?.version ?? 0 };
    });
  }

  /** Revokes every version of the agent's KEKs: its sealed files can no longer be opened. */
  async revoke(agentId: string, actor: string, reason: string): Promise<KekRevocation> {
    if (!(await this.agents.find(agentId))) throw new KeyError('not_found', 'no such agent');
    return this.transactions.run(async (tx) => {
      const versions = (await this.keks.forAgent(agentId, tx)).filter((k) => k.revokedAt === null).length;
      const keyIds = await this.keks.revokeAll(agentId, this.clock.now(), actor.slice(0, 64), tx);
      await this.audit.append(
        { actor, action: 'kek.revoked', target: agentId, details: { keyIds, versions, reason } },
        tx,
      );
      return { agentId, keyIds, versions };
    });
  }

  async list(agentId: string): Promise<KekList> {
    if (!(await this.agents.find(agentId))) throw new KeyError('not_found', 'no such agent');
    const rows = await this.keks.forAgent(agentId);
    const current = await this.keks.current(agentId);
    return {
      items: rows.map((k) => ({
        keyId: k.keyId,
        version: k.version,
        agentId: k.agentId,
        publicKey: k.publicKey,
        createdAt: k.createdAt,
        revokedAt: k.revokedAt,
        revokedBy: k.revokedBy,
        current: current !== null && current.keyId === k.keyId && current.version === k.version,
      })),
    };
  }

  private async liveAgent(agentId: string): Promise<void> {
    const agent = await this.agents.find(agentId);
    if (!agent) throw new KeyError('not_found', 'no such agent');
    if (agent.status === 'revoked') throw new KeyError('agent_revoked', 'this agent is revoked');
  }

  private async open(row: WorkstationKekEntity, wrapped: WrappedDataKey): Promise<Buffer> {
    if (row.masterKeyId !== this.master.keyId)
      throw new KeyError(
        'master_key_mismatch',
        `key ${row.keyId} v${row.version} was sealed under master key ${row.masterKeyId}, not ${this.master.keyId}`,
      );
    const privateKey = await this.master.open(Buffer.from(row.sealedPrivateKey, 'base64'), context(row));
    try {
      return unwrapDataKey(privateKey, wrapped.wrappedKey, {
        keyId: row.keyId,
        kekVersion: row.version,
        headerDigest: wrapped.headerDigest,
      });
    } catch (error) {
      if (error instanceof DataKeyWrapError) throw new KeyError('wrong_key', error.message);
      throw error;
    } finally {
      privateKey.fill(0);
    }
  }

  private async create(
    agentId: string,
    keyId: string,
    version: number,
    tx: Tx,
    notBefore = 0,
  ): Promise<WorkstationKekEntity> {
    const pair = generateKek();
    const row: WorkstationKekEntity = {
      keyId,
      version,
      agentId,
      publicKey: pair.publicKey.toString('base64'),
      sealedPrivateKey: '',
      masterKeyId: this.master.keyId,
      // Later than the previous version, so "newest" is unambiguous within one millisecond.
      createdAt: Math.max(this.clock.now(), notBefore + 1),
      revokedAt: null,
      revokedBy: null,
    };
    row.sealedPrivateKey = (await this.master.seal(pair.privateKeyDer, context(row))).toString('base64');
    pair.privateKeyDer.fill(0);
    await this.keks.insert(row, tx);
    return row;
  }
}

/** Binds a sealed private key to its row: it cannot be moved to another key or version. */
function context(row: Pick<WorkstationKekEntity, 'keyId' | 'version' | 'agentId'>): string {
  return `wardwatch kek ${row.keyId} v${row.version} agent ${row.agentId}`;
}

function toPublic(row: WorkstationKekEntity): PublicKek {
  return { keyId: row.keyId, version: row.version, publicKey: Buffer.from(row.publicKey, 'base64') };
}
