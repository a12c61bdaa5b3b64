import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/**
 * One version of a workstation's key-encryption key (X25519). The agent holds the public
 * half; the private half stays here, sealed under the master key. A rotation adds a
 * version under the same key id; older versions stay to unwrap until files are re-wrapped.
 */
@Entity({ name: 'workstation_kek' })
export class WorkstationKekEntity {
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 40 })
  keyId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ name: 'agent_id', type: 'varchar', length: 64 })
  agentId!: string;

  /** Raw 32-byte X25519 public key, base64. */
  @Column({ name: 'public_key', type: 'varchar', length: 64 })
  publicKey!: string;

  /** PKCS#8 DER sealed by the MasterKeyProvider, base64. */
  @Column({ name: 'sealed_private_key', type: 'text' })
  sealedPrivateKey!: string;

  /** The MasterKeyProvider key that sealed it. */
  @Column({ name: 'master_key_id', type: 'varchar', length: 64 })
  masterKeyId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  /** Set on every version when the key is revoked: nothing unwraps under it again. */
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMs })
  revokedAt!: number | null;

  @Column({ name: 'revoked_by', type: 'varchar', length: 64, nullable: true })
  revokedBy!: string | null;
}
