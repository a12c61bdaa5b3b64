import type { PlaybookDefinition } from '@wardwatch/shared';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/epoch-ms.transformer';

/** One version of one playbook; written once, never updated (the current one is the highest version). */
@Entity({ name: 'playbook_version' })
export class PlaybookVersionEntity {
  @PrimaryColumn({ name: 'playbook_id', type: 'varchar', length: 64 })
  playbookId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** The whole PlaybookDefinition as validated when saved. */
  @Column({ type: 'text', transformer: jsonText })
  definition!: PlaybookDefinition;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;
}
