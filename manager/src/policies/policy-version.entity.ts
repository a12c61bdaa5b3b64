import type { PolicyDocument } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/** One version of the protection policy; written once, never updated (the current one is the highest). */
@Entity({ name: 'policy_version' })
export class PolicyVersionEntity {
  @PrimaryColumn({ type: 'integer' })
  version!: number;

  /** The whole PolicyDocument as validated when saved. */
  @Column({ type: 'text', transformer: jsonText })
  document!: PolicyDocument;

  @Column({ type: 'varchar', length: 500 })
  comment!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;
}
