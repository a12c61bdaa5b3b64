import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuditModule } from '../audit/audit.module';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { KeyService } from './key.service';
import { KeysController } from './keys.controller';
import { localMasterKeyFrom, MasterKeyProvider } from './master-key.provider';
import { WorkstationKekRepository } from './workstation-kek.repository';

/**
 * Key custody for sealed files: the workstations' KEKs, sealed under the master key.
 * A KMS or HSM replaces the local master key by providing another MasterKeyProvider here.
 */
@Module({
  imports: [AuditModule, AgentsModule],
  controllers: [KeysController],
  providers: [
    WorkstationKekRepository,
    {
      provide: MasterKeyProvider,
      useFactory: (config: ManagerConfig) => localMasterKeyFrom({ ...config.masterKey, dataDir: config.dataDir }),
      inject: [MANAGER_CONFIG],
    },
    KeyService,
  ],
  exports: [KeyService, MasterKeyProvider],
})
export class KeysModule {}
