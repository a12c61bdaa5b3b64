// `seal <path>` and `unseal <path> --out <file> --reason "..."`: one file, with the agent's
// identity. Sealing needs only the KEK's public half (fetched, or the copy on disk when the
// manager is away); unsealing asks the manager, which checks and audits the open with the
// local user's pseudonym token and the reason. In OPRF mode (no site key) that token comes
// from the agent's cache, else from one evaluation by the same manager.
import { userInfo } from 'node:os';
import type { AgentServiceClient } from '@wardwatch/proto';
import { pseudonymPrefixes, pseudonymToken } from '@wardwatch/shared/pseudonyms';
import type { AgentConfig } from '../config/config.schema';
import { IdentityStore } from '../identity/identity-store';
import { loadOprfCache } from '../pseudonymize/oprf/cache-file';
import { ManagerOprfEvaluator } from '../pseudonymize/oprf/manager-evaluator';
import { OprfTokens } from '../pseudonymize/oprf/oprf-tokens';
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
  try {
    const user = await localUserToken(identity.pseudonymKey, config.dataDir, client);
    await unsealFile(path, out, (request) => keys.unwrap(request, user, reason));
  } finally {
    client.close();
  }
}

/** The local user's token, as the manager checks it for an unseal: with the site key, or by OPRF. */
export async function localUserToken(
  pseudonymKey: Buffer,
  dataDir: string,
  client: AgentServiceClient,
): Promise<string> {
  const name = userInfo().username;
  if (pseudonymKey.length > 0) return pseudonymToken(pseudonymKey, 'user', name);
  const tokens = new OprfTokens({}, loadOprfCache(dataDir));
  let mac = tokens.mac('user', name);
  if (mac === undefined) {
    await tokens.fetch(new ManagerOprfEvaluator(() => client));
    mac = tokens.mac('user', name);
  }
  if (mac === undefined) throw new Error('the manager did not evaluate the local user name');
  return `${pseudonymPrefixes.user}_${mac}`;
}
