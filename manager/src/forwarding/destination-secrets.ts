// Webhook secrets at rest: AES-256-GCM under the forwarding key (forward-secret-key.ts),
// the destination's id as associated data so a sealed secret copied to another row does
// not open. The repository seals on write and opens on read; the rest of forwarding/ sees
// the secret in clear only in memory, and no view ever carries it.
import { Inject, Injectable } from '@nestjs/common';
import type { DestinationConfig } from '@wardwatch/shared';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FORWARD_KEY } from './forward-secret-key';

const SEALED_PREFIX = 'v1.';

@Injectable()
export class DestinationSecrets {
  constructor(@Inject(FORWARD_KEY) private readonly key: Buffer) {}

  /** The config as stored: a webhook's secret sealed (once). */
  sealed(config: DestinationConfig, destinationId: string): DestinationConfig {
    if (config.type !== 'webhook' || isSealed(config.secret)) return config;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(destinationId));
    const body = Buffer.concat([cipher.update(config.secret, 'utf8'), cipher.final()]);
    return {
      ...config,
      secret: SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url'),
    };
  }

  /** The config in memory: a webhook's secret opened; one stored before sealing existed is taken as it is. */
  opened(config: DestinationConfig, destinationId: string): DestinationConfig {
    if (config.type !== 'webhook' || !isSealed(config.secret)) return config;
    const raw = Buffer.from(config.secret.slice(SEALED_PREFIX.length), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12))
        .setAAD(Buffer.from(destinationId))
        .setAuthTag(raw.subarray(12, 28));
      return {
        ...config,
        secret: Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'),
      };
    } catch {
      throw new Error(
        `the secret of forwarding destination ${destinationId} does not open under the forwarding key; restore the key file or enter the secret again`,
      );
    }
  }
}

/** A secret the schema accepts (32+ characters typed by an admin) never starts with the prefix and a dot plus base64url of 29+ bytes by chance in practice; a sealed one always does. */
export function isSealed(secret: string): boolean {
  return secret.startsWith(SEALED_PREFIX) && /^[A-Za-z0-9_-]{40,}$/.test(secret.slice(SEALED_PREFIX.length));
}
