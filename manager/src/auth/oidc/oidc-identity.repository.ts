// Storage of the provider identities linked to users; writes take the caller's transaction
// so that a link commits with the user it creates and its audit row.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entityManager, type Tx } from '../../database/transaction.runner';
import { OidcIdentityEntity } from './oidc-identity.entity';

@Injectable()
export class OidcIdentityRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: Tx) {
    return entityManager(this.db, tx).getRepository(OidcIdentityEntity);
  }

  find(issuer: string, subject: string, tx?: Tx): Promise<OidcIdentityEntity | null> {
    return this.repo(tx).findOneBy({ issuer, subject });
  }

  async insert(identity: OidcIdentityEntity, tx?: Tx): Promise<void> {
    await this.repo(tx).insert(identity);
  }

  ofUser(userId: string): Promise<OidcIdentityEntity[]> {
    return this.repo().find({ where: { userId }, order: { issuer: 'ASC', subject: 'ASC' } });
  }

  /** Removes the link only if it belongs to this user; true when one was removed. */
  async deleteOf(userId: string, issuer: string, subject: string, tx?: Tx): Promise<boolean> {
    return ((await this.repo(tx).delete({ userId, issuer, subject })).affected ?? 0) > 0;
  }

  async signedIn(issuer: string, subject: string, at: number, tx?: Tx): Promise<void> {
    await this.repo(tx).update({ issuer, subject }, { lastSignInAt: at });
  }
}
