import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/**
 * One automatic action let through the caps (auto-action-slot.repository.ts): taken in the
 * same statement that checks the caps, so every manager on this database counts it at once.
 */
@Entity({ name: 'auto_action_slot' })
export class AutoActionSlotEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The workstation's unit when it has one (counted per unit as well as fleet-wide). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  unit!: string | null;

  @Index('idx_auto_action_slot_taken')
  @Column({ name: 'taken_at', type: 'bigint', transformer: epochMs })
  takenAt!: number;
}
