import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/epoch-ms.transformer';

/** One setting recorded with the site's data (the pseudonym mode), by name. */
@Entity({ name: 'site_setting' })
export class SiteSettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 256 })
  value!: string;

  @Column({ name: 'recorded_at', type: 'bigint', transformer: epochMs })
  recordedAt!: number;
}
