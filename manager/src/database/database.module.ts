import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/config.schema';
import { openDatabase, type EntityList } from './data-source.factory';
import { TransactionRunner } from './transaction.runner';

/** Closes the database last, after the servers have stopped. */
class DatabaseCloser implements OnApplicationShutdown {
  constructor(private readonly db: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.db.isInitialized) await this.db.destroy();
  }
}

/** The DataSource (for repositories only) and the TransactionRunner (for services), for every feature. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: DatabaseConfig, entities: EntityList): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DataSource, useFactory: () => openDatabase(config, entities) },
        { provide: DatabaseCloser, useFactory: (db: DataSource) => new DatabaseCloser(db), inject: [DataSource] },
        TransactionRunner,
      ],
      exports: [DataSource, TransactionRunner],
    };
  }
}
