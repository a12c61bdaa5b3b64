import { Module } from '@nestjs/common';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { KeysModule } from '../keys/keys.module';
import { MasterKeyProvider } from '../keys/master-key.provider';
import { BLIND_EVALUATOR, InlineBlindEvaluator, WorkerBlindEvaluator } from './blind-evaluator';
import { OprfKey } from './oprf-key';
import { loadOrCreateOprfKey } from './oprf-key.store';
import { PseudonymOracleService } from './pseudonym-oracle.service';

/** The OPRF key (sealed under the master key) and the evaluation agents call in OPRF mode. */
@Module({
  imports: [KeysModule],
  providers: [
    {
      provide: OprfKey,
      useFactory: (config: ManagerConfig, master: MasterKeyProvider) => loadOrCreateOprfKey(config.dataDir, master),
      inject: [MANAGER_CONFIG, MasterKeyProvider],
    },
    {
      provide: BLIND_EVALUATOR,
      useFactory: (config: ManagerConfig, key: OprfKey) =>
        config.pseudonyms.evaluation === 'inline' ? new InlineBlindEvaluator(key) : new WorkerBlindEvaluator(key),
      inject: [MANAGER_CONFIG, OprfKey],
    },
    PseudonymOracleService,
  ],
  exports: [PseudonymOracleService, OprfKey],
})
export class PseudonymOracleModule {}
