// The site's pseudonym mode, read (and recorded at the first start) once, before any agent
// can enrol: enrollment, the pseudonym oracle and re-identification all ask this one object,
// never the environment. pseudonym-mode.decision.ts says what is decided and why.
import type { PseudonymMode } from '@wardwatch/shared/pseudonyms';
import type { AuditService } from '../audit/audit.service';
import type { Clock } from '../common/clock';
import { ConfigError, type ManagerConfig } from '../config/config.schema';
import type { TransactionRunner } from '../database/transaction.runner';
import type { JsonLogger } from '../logging/json-logger';
import { decidePseudonymMode, type ModeDecision } from './pseudonym-mode.decision';
import type { SiteSettingRepository } from './site-setting.repository';

const SETTING = 'pseudonym_mode';

export class SitePseudonymMode {
  constructor(readonly mode: PseudonymMode) {}
}

export interface ModeDeps {
  config: Pick<ManagerConfig, 'pseudonyms'>;
  settings: SiteSettingRepository;
  transactions: TransactionRunner;
  audit: AuditService;
  clock: Clock;
  log: JsonLogger;
}

/** Reads the recorded mode, records it when there is none (or on the deliberate switch), audited. */
export async function resolveSitePseudonymMode(deps: ModeDeps): Promise<SitePseudonymMode> {
  const { requestedMode, modeSwitch } = deps.config.pseudonyms;
  const decision = await deps.transactions.run(async (tx): Promise<ModeDecision> => {
    const row = await deps.settings.find(SETTING, tx);
    const decided = decidePseudonymMode({
      recorded: recordedMode(row?.value),
      requested: requestedMode,
      switchTo: modeSwitch,
      siteHasData: row ? true : await deps.settings.siteHasData(tx),
    });
    if (decided.kind === 'record' || decided.kind === 'switch') {
      await deps.settings.save({ name: SETTING, value: decided.mode, recordedAt: deps.clock.now() }, tx);
      await deps.audit.append(
        {
          actor: 'system',
          action: decided.kind === 'switch' ? 'site.pseudonym_mode_switch' : 'site.pseudonym_mode_record',
          target: SETTING,
          details:
            decided.kind === 'switch'
              ? { from: decided.from, to: decided.mode }
              : { mode: decided.mode, why: decided.why },
        },
        tx,
      );
    }
    return decided;
  });
  if (decision.kind === 'refuse') throw new ConfigError(decision.reason);
  if (decision.kind === 'record' && decision.why === 'existing_site' && decision.mode === 'local-key')
    deps.log.warn(
      'pseudonym mode recorded as local-key for this existing site (every workstation holds the site key); to move it to OPRF set WARDWATCH_PSEUDONYM_MODE_SWITCH=local-key-to-oprf once (docs/privacy.md)',
    );
  else if (decision.kind === 'record')
    deps.log.info('pseudonym mode recorded', { mode: decision.mode, why: decision.why });
  else if (decision.kind === 'switch')
    deps.log.warn('pseudonym mode switched from local-key to oprf: agents enrolled from now on hold no key', {});
  return new SitePseudonymMode(decision.mode);
}

/** A value this manager wrote; anything else in the row is a tampered database, refused at start. */
function recordedMode(value: string | undefined): PseudonymMode | undefined {
  if (value === undefined) return undefined;
  if (value === 'local-key' || value === 'oprf') return value;
  throw new ConfigError(`the site's recorded pseudonym mode is unreadable (${JSON.stringify(value.slice(0, 32))})`);
}
