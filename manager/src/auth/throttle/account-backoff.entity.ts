import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../database/epoch-ms.transformer';

/**
 * Consecutive failed sign-ins of one account name (lower-cased), whether or not the
 * account exists, so that a name's answers do not tell whether it does. A row is
 * deleted at a successful sign-in and by the pruning of idle rows; never to make room.
 */
@Entity({ name: 'login_backoff' })
export class AccountBackoffEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  account!: string;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'last_failure_at', type: 'bigint', transformer: epochMs })
  lastFailureAt!: number;

  /** No attempt is checked before this time (epoch ms); 0 while failures are still free. */
  @Column({ name: 'blocked_until', type: 'bigint', transformer: epochMs })
  blockedUntil!: number;
}
