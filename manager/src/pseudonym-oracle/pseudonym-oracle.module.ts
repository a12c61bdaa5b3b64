import { Module } from '@nestjs/common';
import { loadOprfSuite } from '@wardwatch/shared/oprf';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { AuditModule } from '../audit/audit.module';
import { KeysModule } from '../keys/keys.module';
import { PseudonymModeModule } from '../pseudonym-mode/pseudonym-mode.module';
import { Clock } from '../common/clock';
import { EvaluationAuditJob } from './evaluation-audit.job';
import { EvaluationTally } from './evaluation-tally';
import { JsonLogger } from '../logging/json-logger';
import { MasterKeyProvider } from '../keys/master-key.provider';
import { BLIND_EVALUATOR, InlineBlindEvaluator, WorkerBlindEvaluator } from './blind-evaluator';
import { OprfKey } from './oprf-key';
import { loadOrCreateOprfKey } from './oprf-key.store';
import { PseudonymOracleService } from './pseudonym-oracle.service';

/** The OPRF key (sealed under the master key), the evaluation agents call in OPRF mode, and its audit. */
@Module({
  imports: [KeysModule, AuditModule, PseudonymModeModule],
  providers: [
    {
      provide: OprfKey,
      useFactory: async (config: ManagerConfig, master: MasterKeyProvider, logger: JsonLogger) => {
        const { suite, fallbackReason } = await loadOprfSuite();
        // Said once: every evaluation then costs ~8x the CPU (scripts/bench/oprf.bench.ts).
        if (fallbackReason)
          logger.warn('OPRF group library fallback', { using: suite.implementation, reason: fallbackReason });
        return loadOrCreateOprfKey(config.dataDir, master, suite);
      },
      inject: [MANAGER_CONFIG, MasterKeyProvider, JsonLogger],
    },
    {
      provide: BLIND_EVALUATOR,
      useFactory: (config: ManagerConfig, key: OprfKey) =>
        config.pseudonyms.evaluation === 'inline' ? new InlineBlindEvaluator(key) : new WorkerBlindEvaluator(key),
      inject: [MANAGER_CONFIG, OprfKey],
    },
    { provide: EvaluationTally, useFactory: (clock: Clock) => new EvaluationTally(clock.now()), inject: [Clock] },
    PseudonymOracleService,
    EvaluationAuditJob,
  ],
  exports: [PseudonymOracleService, OprfKey, EvaluationAuditJob],
})
export class PseudonymOracleModule {}
