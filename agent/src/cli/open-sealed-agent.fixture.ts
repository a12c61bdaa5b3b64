// A running agent's local API for the open-sealed tests: the LocalApiServer on 127.0.0.1 with
// the ResponseService, an AuthorisedOpen over one policy folder and one real sealed file.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Backoff } from '@wardwatch/shared';
import { LocalApiServer } from '../local-api/local-api-server';
import { createMemoryLogger } from '../logging/logger';
import { AuthorisedOpen } from '../protection/sealing/authorised-open';
import { sealFile } from '../protection/sealing/sealed-file';
import { testKek } from '../protection/sealing/sealing.fixture';
import { buildResponseService } from '../response/response-service.fixture';
import { tempDataDir } from '../response/response-test-kit.fixture';

/** What each test started, stopped in reverse by `stopAll`. */
const started: (() => Promise<void> | void)[] = [];

export async function stopAll(): Promise<void> {
  for (const done of started.splice(0).reverse()) await done();
}

export function tempDir(): string {
  const dir = tempDataDir();
  started.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function runningAgent() {
  const dir = tempDir();
  const scans = join(dir, 'Scans');
  mkdirSync(scans);
  writeFileSync(join(scans, 'xray.txt'), 'x-ray of bed 7');
  const kek = testKek();
  const sealed = await sealFile(join(scans, 'xray.txt'), kek.kek, { policyVersion: 4 });
  const asked: string[] = [];
  const opener = new AuthorisedOpen({
    folders: () => [scans],
    openedDir: join(dir, 'opened'),
    unwrap: (request, _user, reason) => {
      asked.push(reason);
      return kek.unwrap(request);
    },
  });
  const built = buildResponseService({ dir, sealedOpener: opener });
  started.push(() => built.service.stop());
  const server = new LocalApiServer({
    dataDir: dir,
    port: 0,
    status: () => {
      throw new Error('not asked');
    },
    recent: () => [],
    logger: createMemoryLogger(),
    backoff: new Backoff({ baseMs: 10, maxMs: 50 }),
    response: built.service,
  });
  await server.start();
  started.push(() => server.stop());
  return { dir, sealed, asked, key: built.key };
}
