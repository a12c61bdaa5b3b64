import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';
import type { ReadCounts } from '@wardwatch/shared';
import type { ComponentReport } from './agent-health.schema';

export type AgentStatus = 'online' | 'offline' | 'revoked';

@Entity({ name: 'agent' })
export class AgentEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  hostname!: string;

  @Column({ type: 'varchar', length: 32 })
  os!: string;

  @Column({ name: 'os_version', type: 'varchar', length: 128 })
  osVersion!: string;

  @Column({ type: 'varchar', length: 64 })
  version!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: AgentStatus;

  @Column({ name: 'enrolled_at', type: 'bigint', transformer: epochMs })
  enrolledAt!: number;

  @Column({ name: 'last_seen_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastSeenAt!: number | null;

  /** sha256 of the DER of the client certificate issued at enrollment. */
  @Column({ name: 'cert_fingerprint', type: 'varchar', length: 80 })
  certFingerprint!: string;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  stats!: Record<string, number> | null;

  /** When the manager stored the agent's last heartbeat within bounds (its clock, not the agent's). */
  @Column({ name: 'heartbeat_at', type: 'bigint', nullable: true, transformer: epochMs })
  heartbeatAt?: number | null;

  /** The last heartbeat's drops since the agent started, `<reason>.<class>.<category>` → count. */
  @Column({ name: 'dropped_by_reason', type: 'text', nullable: true, transformer: jsonText })
  droppedByReason?: Record<string, number> | null;

  /** The last heartbeat's collectors and local services with their state. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  components?: ComponentReport[] | null;

  /** The last heartbeat's patient-file reads since the agent started; null where it audits none. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  reads?: ReadCounts | null;

  /** A host name a Hello claimed that is not the enrolled one (never applied; shown to admins). */
  @Column({ name: 'claimed_hostname', type: 'varchar', length: 255, nullable: true })
  claimedHostname?: string | null;

  @Column({ name: 'claimed_os', type: 'varchar', length: 32, nullable: true })
  claimedOs?: string | null;

  /** When a Hello first claimed another identity (the latest claim is in the two columns above). */
  @Column({ name: 'identity_mismatch_at', type: 'bigint', nullable: true, transformer: epochMs })
  identityMismatchAt?: number | null;

  /** The PEM issued at enrollment (or the last renewal), returned again to a retried Enroll with the same token and key. */
  @Column({ name: 'certificate_pem', type: 'text', nullable: true })
  certificatePem?: string | null;

  /** The certificate held before the last renewal: accepted only to renew again when that answer was lost. */
  @Column({ name: 'previous_cert_fingerprint', type: 'varchar', length: 80, nullable: true })
  previousCertFingerprint?: string | null;

  /** When the certificate was last renewed (renewals are rate-limited per agent). */
  @Column({ name: 'cert_renewed_at', type: 'bigint', nullable: true, transformer: epochMs })
  certRenewedAt?: number | null;

  /** Set by an admin: what kind of workstation this is (`shared-clinical`, `icu`…); playbooks match on them. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  tags?: string[] | null;

  /** Set by an admin: the ward or department; caps count automatic actions per unit. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  unit?: string | null;
}
