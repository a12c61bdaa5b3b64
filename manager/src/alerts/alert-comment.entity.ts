import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/** One analyst's comment on an alert: plain text, bounded (MAX_ALERT_COMMENT_LENGTH), never rendered as markup. */
@Entity({ name: 'alert_comment' })
export class AlertCommentEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'alert_id', type: 'varchar', length: 64 })
  alertId!: string;

  @Column({ type: 'varchar', length: 64 })
  author!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ type: 'text' })
  body!: string;
}
