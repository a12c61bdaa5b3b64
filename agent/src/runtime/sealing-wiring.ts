// The sealing of the policy's folders, wired for the running agent: sweeps that seal
// with the KEK's public half (asked of the manager, cached, re-wrapping the files'
// key slots after a rotation), unsealing when a tier drops, and IT staff's opens at
// the tray. Every data key is unwrapped by the manager, which audits each unwrap.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AgentConfig } from '../config/config.schema';
import type { AgentIdentity } from '../identity/identity-store';
import type { Logger } from '../logging/logger';
import { FolderSealingTarget } from '../policy/steps/folder-sealing-target';
import { AuthorisedOpen } from '../protection/sealing/authorised-open';
import { FolderSealer } from '../protection/sealing/folder-sealer';
import { FolderUnsealer } from '../protection/sealing/folder-unsealer';
import { rewrapFolders } from '../protection/sealing/key-rewrap';
import { ManagerSealingKeys, rewrapOver } from '../protection/sealing/manager-sealing-keys';
import type { SealingKek, UnwrapRequest } from '../protection/sealing/sealed-file';
import { createSessionClient } from '../transport/grpc-clients';

export interface SealingWiringOptions {
  managerAddress: string;
  dataDir: string;
  settings: Pick<AgentConfig['policy'], 'sealSettleSeconds' | 'sealSweepSeconds' | 'sealingHome'>;
  /** The current identity (replaced when the certificate is renewed). */
  identity: () => AgentIdentity;
  /** This workstation's host token: the opener named when a tier drop unseals, as nobody asked at a keyboard. */
  hostToken: () => string;
  logger: Logger;
}

export function wireSealing({ managerAddress, dataDir, settings, identity, hostToken, logger }: SealingWiringOptions) {
  const link = () => ({ address: managerAddress, identity: identity(), dataDir });
  const sealer = new FolderSealer({
    kek: cachedKek(link, (kek, client) =>
      // A rotation seen: the sealed files' key slots are re-wrapped (their data stays as it is).
      rewrapFolders(sealing.folders(), kek, rewrapOver(client)).then(
        (report) => logger.info('sealed files re-wrapped after a key rotation', { ...report, version: kek.version }),
        (error: unknown) => logger.warn('re-wrap after a key rotation failed', { error: String(error) }),
      ),
    ),
    settleMs: settings.sealSettleSeconds * 1_000,
  });
  const unwrap = (request: UnwrapRequest, userToken: string, reason: string) =>
    withClient(link(), (client, dataDir) => new ManagerSealingKeys(client, dataDir).unwrap(request, userToken, reason));
  const sealing: FolderSealingTarget = new FolderSealingTarget({
    sealer,
    home: settings.sealingHome || undefined,
    sweepMs: settings.sealSweepSeconds * 1_000,
    unsealer: new FolderUnsealer({ unwrap: (reason) => (request) => unwrap(request, hostToken(), reason) }),
    onSweep: (report) => logger.info('sealing sweep', { sealed: report.sealed.length, failed: report.failed.length }),
  });
  // Checked against the policy's folders, for the user signed in at the workstation.
  const opener = new AuthorisedOpen({
    folders: () => sealing.folders(),
    openedDir: join(settings.sealingHome || homedir(), 'WardWatch-opened'),
    unwrap,
  });
  return { sealer, sealing, opener };
}

type SessionClient = ReturnType<typeof createSessionClient>;
type Link = { address: string; identity: AgentIdentity; dataDir: string };

/** A client for one call to the manager, closed after it. */
async function withClient<T>(link: Link, call: (client: SessionClient, dataDir: string) => Promise<T>): Promise<T> {
  const client = createSessionClient(link.address, link.identity);
  try {
    return await call(client, link.dataDir);
  } finally {
    client.close();
  }
}

/** The KEK's public half, asked of the manager at most every 10 minutes (a rotation is seen then). */
function cachedKek(
  link: () => Link,
  rotated: (kek: SealingKek, client: SessionClient) => Promise<void>,
): () => Promise<SealingKek> {
  let kept: { kek: SealingKek; atMs: number } | null = null;
  return async () => {
    if (kept && Date.now() - kept.atMs < 600_000) return kept.kek;
    return withClient(link(), async (client, dataDir) => {
      const before = kept?.kek;
      kept = { kek: await new ManagerSealingKeys(client, dataDir).current(), atMs: Date.now() };
      if (before && before.keyId === kept.kek.keyId && kept.kek.version > before.version)
        await rotated(kept.kek, client);
      return kept.kek;
    });
  };
}
