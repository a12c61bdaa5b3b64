// `seal <path>` and `unseal <path> --out <file> --reason "..."`: one file, with the agent's
// identity. Sealing needs only the KEK's public half (fetched, or the copy on disk when the
// manager is away); unsealing asks the manager, which checks and audits the open with the
// local user's pseudonym token and the reason.
import { userInfo } from 'node:os';
import { pseudonymToken } from '@wardwatch/shared/pseudonyms';
import type { AgentConfig } from '../config/config.schema';
import { IdentityStore } from '../identity/identity-store';
import { ManagerSealingKeys } from '../protection/sealing/manager-sealing-keys';
import { sealFile, unsealFile } from '../protection/sealing/sealed-file';
import { createSessionClient } from '../transport/grpc-clients';

function keysFor(config: AgentConfig) {
  const identity = new IdentityStore(config.dataDir).load();
  const client = createSessionClient(config.manager.address, identity);
  return { identity, client, keys: new ManagerSealingKeys(client, config.dataDir) };
}

export async function sealCommand(config: AgentConfig, path: string): Promise<string> {
  const { client, keys } = keysFor(config);
  try {
    return await sealFile(path, await keys.current(), { policyVersion: 0 });
  } finally {
    client.close();
  }
}

export async function unsealCommand(config: AgentConfig, path: string, out: string, reason: string): Promise<void> {
  const { identity, client, keys } = keysFor(config);
  const user = pseudonymToken(identity.pseudonymKey, 'user', userInfo().username);
  try {
    await unsealFile(path, out, (request) => keys.unwrap(request, user, reason));
  } finally {
    client.close();
  }
}
