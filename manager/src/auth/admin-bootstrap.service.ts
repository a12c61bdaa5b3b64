// On first start (no user at all) creates `admin` with WARDWATCH_ADMIN_PASSWORD or
// a random password that is printed once, as a banner on stdout, and never logged.
// A generated password is a one-time password: it passed through a terminal (and
// perhaps a scroll-back or a CI log), so the account must replace it at first sign-in
// like any account an admin creates. A chosen one is the operator's own secret.
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { TransactionRunner } from '../database/transaction.runner';
import { PasswordHasher } from './password.hasher';
import { UserRepository } from './user.repository';

export interface BannerWriter {
  write(text: string): void;
}

export const BANNER_WRITER = Symbol('BannerWriter');

@Injectable()
export class AdminBootstrapService {
  constructor(
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
    private readonly users: UserRepository,
    private readonly transactions: TransactionRunner,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Inject(BANNER_WRITER) private readonly banner: BannerWriter,
  ) {}

  /** Returns true when it created the admin. */
  async ensureAdmin(): Promise<boolean> {
    if ((await this.users.count()) > 0) return false;
    const chosen = this.config.adminPassword;
    const password = chosen ?? this.random.bytes(18).toString('base64url');
    const passwordHash = await this.hasher.hash(password);
    // The account and its audit row commit together, like every other user change.
    await this.transactions.run(async (tx) => {
      await this.users.insert(
        {
          id: this.random.uuid(),
          username: 'admin',
          passwordHash,
          role: 'admin',
          createdAt: this.clock.now(),
          disabledAt: null,
          mustChangePassword: !chosen,
        },
        tx,
      );
      await this.audit.append(
        {
          actor: 'system',
          action: 'user.create',
          target: 'admin',
          details: { role: 'admin', passwordFrom: chosen ? 'environment' : 'generated' },
        },
        tx,
      );
    });
    if (!chosen) {
      const line = '='.repeat(72);
      this.banner.write(
        `${line}\nWardWatch created the user "admin".\nAdmin password (shown once): ${password}\nIt is a one-time password: you must choose your own at the first sign-in. It is not stored in clear and will not be shown again.\n${line}\n`,
      );
    }
    return true;
  }
}
