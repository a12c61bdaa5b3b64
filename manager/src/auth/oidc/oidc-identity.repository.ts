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

  async signedIn(issuer: string, subject: string, at: number, tx?: Tx): Promise<void> {
    await this.repo(tx).update({ issuer, subject }, { lastSignInAt: at });
  }
}
