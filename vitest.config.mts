import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Every test in the tree: beside the code it tests, and the end-to-end ones under test/. */
const ALL_TESTS = ['{agent,manager,shared,proto,scripts}/**/*.test.ts', 'test/**/*.test.ts'];

/**
 * Tests that need more than node_modules: the built dist/ (the manager's and agent's entry
 * points, the bundled dashboard and tray), a CLI whose imports resolve to dist/, or Chromium.
 * `npm test` builds first and runs them; `npm run test:unit` leaves them out. Name such a test
 * `*.e2e.test.ts` (a whole fleet, under test/e2e/), `*.process.test.ts` (one program run as a
 * child process, beside its source) or `*.browser.test.ts` (a page in headless Chromium).
 */
const OUT_OF_PROCESS = ['**/*.e2e.test.ts', '**/*.process.test.ts', '**/*.browser.test.ts'];

export default defineConfig({
  resolve: {
    // Tests run against the sources of our own packages, not their build output.
    alias: {
      '@wardwatch/proto': src('./proto/src/index.ts'),
      // The subpath first: an alias matches its prefix too.
      '@wardwatch/shared/agent': src('./shared/src/agent.ts'),
      '@wardwatch/shared/pseudonyms': src('./shared/src/pseudonyms/index.ts'),
      '@wardwatch/shared/sealing': src('./shared/src/sealing/index.ts'),
      '@wardwatch/shared/oprf': src('./shared/src/oprf/index.ts'),
      '@wardwatch/shared': src('./shared/src/index.ts'),
    },
  },
  oxc: {
    // NestJS resolves constructor dependencies from decorator metadata.
    decorator: { legacy: true, emitDecoratorMetadata: true },
  },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Property tests run hundreds of cases, and a browser test starts Chromium: the defaults
    // (5 s a test, 10 s a hook) are too tight on a loaded 2-core CI machine.
    testTimeout: 15_000,
    hookTimeout: 30_000,
    // Managers started by tests (and their child processes) hash passwords with scrypt N = 2^14
    // instead of the default 2^17: the same code, an eighth of the cost per sign-in, so hundreds of
    // sign-ins fit the run. Tests of the hasher and of re-hashing set their parameters themselves.
    env: { WARDWATCH_PASSWORD_SCRYPT_LOG2N: '14' },
    // Vitest's default (cores - 1) is one worker on a 2-core CI machine, and most of a run waits on
    // child processes, databases and Chromium: two files at a time keep both cores busy. Tests
    // that share state keep it apart (a PostgreSQL schema per run, temp folders, port 0).
    maxWorkers: 2,
    // `npm test` runs both; `npm run test:unit` only the first, with no build needed.
    projects: [
      // In-process tests share a worker's module cache: loading NestJS, TypeORM and tfjs once per
      // worker instead of once per file halves the project's run (411 s → 210 s on 2 cores). A
      // test that changes global state (fake timers, the environment) puts it back.
      { extends: true, test: { name: 'unit', include: ALL_TESTS, exclude: OUT_OF_PROCESS, isolate: false } },
      { extends: true, test: { name: 'e2e', include: OUT_OF_PROCESS } },
    ],
  },
});
