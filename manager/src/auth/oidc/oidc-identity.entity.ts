import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.transformer';

/**
 * A WardWatch user as one OpenID provider knows them: the provider's (issuer, subject) pair,
 * which the provider promises never to reassign. E-mail addresses and names can be reused or
 * changed by whoever runs the provider, so they never link an account.
 */
@Entity({ name: 'oidc_identity' })
@Index('idx_oidc_identity_user', ['userId'])
export class OidcIdentityEntity {
  @PrimaryColumn({ type: 'varchar', length: 512 })
  issuer!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  subject!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'last_sign_in_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastSignInAt!: number | null;
}
