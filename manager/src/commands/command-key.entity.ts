import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/** One Ed25519 command key of the manager, shared by all replicas through the database. */
@Entity({ name: 'command_key' })
export class CommandKeyEntity {
  /** First 16 hex digits of the SHA-256 of the public key's SPKI DER. */
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 16 })
  keyId!: string;

  /** SubjectPublicKeyInfo DER, base64. */
  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  /** PKCS#8 DER sealed with AES-256-GCM (command-key.sealing.ts), base64 of iv ‖ tag ‖ ciphertext. */
  @Column({ name: 'sealed_private_key', type: 'text' })
  sealedPrivateKey!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  /** Set when a later rotation made it unnecessary: no longer used to sign nor pinned. */
  @Column({ name: 'retired_at', type: 'bigint', nullable: true, transformer: epochMs })
  retiredAt!: number | null;
}
