// Builds the tray into dist/:
//   main + common  → tsc (CommonJS, tsconfig.json)
//   preload        → one esbuild bundle (a sandboxed preload may require only 'electron')
//   renderer       → one esbuild bundle for the browser + index.html + styles.css
// The renderer is type-checked by tsc with the DOM library (tsconfig.renderer.json),
// in parallel with the main build.
// `node scripts/build.mjs renderer <outDir>` bundles only the renderer into <outDir>
// (the browser test uses it; no type check, a fraction of a second).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tscBin = require.resolve('typescript/bin/tsc');

function tsc(args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [tscBin, ...args], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`tsc ${args.join(' ')} exited with ${code}`)),
    );
  });
}

async function buildRenderer(outDir) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'src/renderer/renderer.ts')],
    outfile: join(outDir, 'renderer.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    sourcemap: false,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'styles.css']) copyFileSync(join(root, 'src/renderer', file), join(outDir, file));
}

async function buildPreload(outDir) {
  await build({
    entryPoints: [join(root, 'src/preload/preload.ts')],
    outfile: join(outDir, 'preload.js'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    external: ['electron'],
    // From the TypeScript source so esbuild can drop the parts of shared and zod the preload never uses.
    alias: { '@wardwatch/shared': join(root, '../../shared/src/index.ts') },
    minify: true,
    logLevel: 'warning',
  });
}

async function main() {
  const [mode, out] = process.argv.slice(2);
  if (mode === 'renderer') {
    if (!out) throw new Error('usage: node scripts/build.mjs renderer <outDir>');
    return buildRenderer(resolve(out));
  }
  const dist = join(root, 'dist');
  await Promise.all([
    // tsc first emits dist/preload/preload.js unbundled; the bundle then replaces it.
    tsc(['-b', 'tsconfig.json']).then(() => buildPreload(join(dist, 'preload'))),
    tsc(['-p', 'tsconfig.renderer.json']),
    buildRenderer(join(dist, 'renderer')),
  ]);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
