import type { DutyRequestDetails, DutyRequestKind, DutyRequestState } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/**
 * One person's request that a second must approve (a privileged role grant, a
 * re-identification). Holds no clear value: a re-identification is bound to its
 * question by `binding`, a digest under the site key (reidentification/).
 */
@Entity({ name: 'duty_request' })
export class DutyRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: DutyRequestKind;

  @Column({ name: 'requested_by', type: 'varchar', length: 128 })
  requestedBy!: string;

  /** Who may not approve besides the requester: the account a role is granted to. */
  @Column({ name: 'excluded_approver', type: 'varchar', length: 128, nullable: true })
  excludedApprover!: string | null;

  @Column({ type: 'text', transformer: jsonText })
  details!: DutyRequestDetails;

  @Column({ type: 'varchar', length: 128, nullable: true })
  binding!: string | null;

  @Column({ type: 'varchar', length: 16 })
  state!: DutyRequestState;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  @Column({ name: 'decided_by', type: 'varchar', length: 128, nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'bigint', nullable: true, transformer: epochMs })
  decidedAt!: number | null;

  @Column({ name: 'usable_until', type: 'bigint', nullable: true, transformer: epochMs })
  usableUntil!: number | null;
}
