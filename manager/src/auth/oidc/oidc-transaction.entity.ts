import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.transformer';

/**
 * One sign-in on its way through the provider: what the callback must find again. Keyed by
 * the sha256 of the random token in the browser's short-lived cookie, so that a callback
 * only completes in the browser that started it; deleted when the callback reads it (single
 * use) and refused after `expiresAt`.
 */
@Entity({ name: 'oidc_transaction' })
@Index('idx_oidc_transaction_expires', ['expiresAt'])
export class OidcTransactionEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 128 })
  state!: string;

  @Column({ type: 'varchar', length: 128 })
  nonce!: string;

  /** The PKCE code verifier; only its S256 challenge went to the provider. */
  @Column({ name: 'code_verifier', type: 'varchar', length: 128 })
  codeVerifier!: string;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;
}
