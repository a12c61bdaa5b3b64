// The composition of the policy capability for run-agent.ts: the steps in the order they
// are applied (the cheap, checkable ones first, so a bad cipher fails before anything on
// the workstation changed), the state store, the disk-encryption probe and the channel.
import type { Logger } from '../logging/logger';
import type { CommandRunner } from '../response/actions/command-runner';
import type { ResponseActions } from '../response/actions/response-actions';
import type { CommandKeyStore } from '../response/command-keys/command-key-store';
import { DiskEncryptionProbe } from './disk-encryption/disk-encryption-probe';
import { PolicyChannel } from './policy-channel';
import { PolicyService } from './policy-service';
import { PolicyStateStore } from './policy-state-store';
import { IdleLockStep } from './steps/idle-lock-step';
import { LinkSecurity, ManagerLinkStep } from './steps/manager-link-step';
import type { PolicyStep } from './steps/policy-step';
import { RemovableMediaStep, type RemovableGuard } from './steps/removable-media-step';
import { SealingStep } from './steps/sealing-step';
import type { SealingTarget } from './steps/sealing-target';

export interface PolicyWiring {
  dataDir: string;
  agentId: string;
  keys: Pick<CommandKeyStore, 'get'>;
  actions: ResponseActions | null;
  runner: CommandRunner;
  settings: { logindDropInDir: string; reloadLogind: boolean };
  logger: Logger;
  /** Where sealing settings go (a FolderSealingTarget at run time). */
  sealing: SealingTarget;
  /** Removable media read_only / copies_sealed (policy/removable/); absent: reported as not enforced. */
  removableGuard?: RemovableGuard | null;
  platform?: NodeJS.Platform;
}

export interface PolicyParts {
  service: PolicyService;
  channel: PolicyChannel;
  /** The manager link's TLS settings from the policy in force, read at each connection. */
  link: LinkSecurity;
}

export function createPolicy(wiring: PolicyWiring): PolicyParts {
  const platform = wiring.platform ?? process.platform;
  const link = new LinkSecurity();
  const reload = async (): Promise<string | null> => {
    if (!wiring.settings.reloadLogind) return null;
    const result = await wiring.runner.run('systemctl', ['reload', 'systemd-logind']);
    return result.code === 0 ? null : (result.startError ?? `exit ${result.code}`);
  };
  const steps: PolicyStep[] = [
    new ManagerLinkStep(link),
    new IdleLockStep({ platform, dropInDir: wiring.settings.logindDropInDir, reload }),
    new RemovableMediaStep(wiring.actions, wiring.dataDir, wiring.removableGuard ?? null),
    new SealingStep(wiring.sealing),
  ];
  const service = new PolicyService({
    agentId: wiring.agentId,
    store: new PolicyStateStore(wiring.dataDir),
    steps,
    keys: wiring.keys,
    diskEncryption: new DiskEncryptionProbe(wiring.runner, platform),
    now: Date.now,
    logger: wiring.logger,
  });
  return { service, channel: new PolicyChannel(service, wiring.logger), link };
}
