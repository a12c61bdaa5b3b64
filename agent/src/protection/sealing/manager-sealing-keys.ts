// The manager's side of sealing, seen from the agent: the current KEK (kept on disk, so
// sealing works offline) and the unwrap of one file's data key, over mutual TLS.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import type { AgentServiceClient } from '@wardwatch/proto';
import { z } from 'zod';
import { isTransient } from '../../transport/grpc-clients';
import type { RewrapCall } from './key-rewrap';
import type { SealingKek, UnwrapRequest } from './sealed-file';

export const SEALING_KEY_FILE = 'sealing-key.json';
const CALL_TIMEOUT_MS = 15_000;
const Stored = z.object({ keyId: z.string().max(64), version: z.number().int().min(1), publicKey: z.string().max(64) });

export class ManagerSealingKeys {
  constructor(
    private readonly client: AgentServiceClient,
    private readonly dataDir: string,
  ) {}

  /** The manager's current KEK; the copy on disk when the manager cannot be reached. */
  async current(): Promise<SealingKek> {
    const file = join(this.dataDir, SEALING_KEY_FILE);
    try {
      const kek = await unary<{ keyId: string; version: number; publicKey: Buffer }>((cb) =>
        this.client.getSealingKey({}, new Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, cb),
      );
      const stored = {
        keyId: kek.keyId,
        version: kek.version,
        publicKey: Buffer.from(kek.publicKey).toString('base64'),
      };
      writeFileSync(file, JSON.stringify(Stored.parse(stored)), { mode: 0o600 });
      return { ...stored, publicKey: Buffer.from(kek.publicKey) };
    } catch (error) {
      if (!isTransient(error)) throw error;
      const stored = Stored.parse(JSON.parse(readFileSync(file, 'utf8')));
      return { ...stored, publicKey: Buffer.from(stored.publicKey, 'base64') };
    }
  }

  /** The data key, for an open the manager audits with the user's token and the reason. */
  async unwrap(request: UnwrapRequest, userToken: string, reason: string): Promise<Buffer> {
    const answer = await unary<{ dataKey: Buffer }>((cb) =>
      this.client.unwrapDataKey(
        {
          keyId: request.keyId,
          key: { kekVersion: request.kekVersion, wrappedKey: request.wrappedKey, headerDigest: request.headerDigest },
          policyVersion: request.policyVersion,
          userToken,
          reason,
        },
        new Metadata(),
        { deadline: Date.now() + CALL_TIMEOUT_MS },
        cb,
      ),
    );
    return Buffer.from(answer.dataKey);
  }
}

/** The manager's RewrapDataKeys, as key-rewrap.ts calls it (null wrapped key: refused, with why). */
export function rewrapOver(client: AgentServiceClient): RewrapCall {
  return async (keyId, keys) => {
    const answer = await unary<{ kekVersion: number; keys: { wrappedKey: Buffer; error: string }[] }>((cb) =>
      client.rewrapDataKeys({ keyId, keys }, new Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, cb),
    );
    return {
      kekVersion: answer.kekVersion,
      results: answer.keys.map((k) => ({
        wrappedKey: k.wrappedKey.length > 0 ? Buffer.from(k.wrappedKey) : null,
        error: k.error.slice(0, 200),
      })),
    };
  };
}

function unary<T>(start: (callback: (error: ServiceError | null, response?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    start((error, response) => (error ? reject(error) : resolve(response as T))),
  );
}
