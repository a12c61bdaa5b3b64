import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../../database/epoch-ms.transformer';

/**
 * One registered security key (a WebAuthn credential) of a user; a user may have several.
 * `id` is ours (short, for URLs); `credentialId` is the authenticator's.
 */
@Entity({ name: 'security_key' })
@Index('idx_security_key_user', ['userId'])
export class SecurityKeyEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  /** base64url; unique across users, so one authenticator's credential cannot be claimed twice. */
  @Index('uq_security_key_credential', { unique: true })
  @Column({ name: 'credential_id', type: 'varchar', length: 1364 })
  credentialId!: string;

  /** The COSE public key, base64url. Public: nothing here signs. */
  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  /** The last signature counter seen; a later assertion must carry a greater one (unless both are 0). */
  @Column({ name: 'sign_count', type: 'bigint', transformer: epochMs })
  signCount!: number;

  /** Comma list of the transports the browser reported (usb, nfc, internal…). */
  @Column({ name: 'transports', type: 'varchar', length: 128 })
  transports!: string;

  @Column({ name: 'name', type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastUsedAt!: number | null;
}

export type WebAuthnPurpose = 'register' | 'sign_in' | 'step_up';

/**
 * A challenge handed to a browser, kept until used once or expired. One outstanding per
 * user and purpose: a new one replaces the last, so the table stays as small as the staff list.
 */
@Entity({ name: 'webauthn_challenge' })
@Index('idx_webauthn_challenge_user', ['userId', 'purpose'])
export class WebAuthnChallengeEntity {
  @PrimaryColumn({ name: 'challenge', type: 'varchar', length: 64 })
  challenge!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  @Column({ name: 'purpose', type: 'varchar', length: 16 })
  purpose!: WebAuthnPurpose;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;
}
