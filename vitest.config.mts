import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources of our own packages, not their build output.
    alias: {
      '@wardwatch/proto': src('./proto/src/index.ts'),
      // The subpath first: an alias matches its prefix too.
      '@wardwatch/shared/pseudonyms': src('./shared/src/pseudonyms/index.ts'),
      '@wardwatch/shared': src('./shared/src/index.ts'),
    },
  },
  oxc: {
    // NestJS resolves constructor dependencies from decorator metadata.
    decorator: { legacy: true, emitDecoratorMetadata: true },
  },
  test: {
    include: ['{agent,manager,shared,proto,scripts}/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
  },
});
