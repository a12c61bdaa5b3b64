#!/usr/bin/env node
// Cuts libsodium-sumo's WebAssembly binary down to the five functions the OPRF calls, at build
// time (root `npm run build`, after tsc): binaryen's wasm-metadce keeps what those exports reach
// (285 KB → ~73 KB). The agent then reads this file instead of the package's 1.2 MB script and
// compiles the small module: ~2 MB less RSS (docs/privacy.md). Written next to the compiled
// loader (dist/oprf/), with the functions' export names. Never fails the build: without it the
// loader extracts the whole binary from the script, as before.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const out = join(here, '..', 'dist', 'oprf');
const skip = (why) => {
  console.log(`ristretto255 wasm: ${why}; the OPRF loads libsodium's whole binary`);
  process.exit(0);
};

let loader;
try {
  loader = require(join(out, 'sodium-wasm.js'));
} catch {
  skip('shared is not built');
}
const { binary, exportNames } = loader.extractSodiumWasm(readFileSync(require.resolve('libsodium-sumo')));
const work = mkdtempSync(join(tmpdir(), 'ww-ristretto-'));
try {
  const input = join(work, 'libsodium.wasm');
  const graphFile = join(work, 'graph.json');
  const output = join(work, 'ristretto255.wasm');
  writeFileSync(input, binary);
  // The roots: the five functions and the memory they work in; everything else goes.
  const memory = WebAssembly.Module.exports(new WebAssembly.Module(binary)).find((e) => e.kind === 'memory');
  if (!memory) skip('the binary exports no memory');
  const kept = [...Object.values(exportNames), memory.name];
  const graph = [
    { name: 'outside', root: true, reaches: kept.map((name) => `export:${name}`) },
    ...kept.map((name) => ({ name: `export:${name}`, export: name })),
  ];
  writeFileSync(graphFile, JSON.stringify(graph));
  let metadce;
  try {
    metadce = require.resolve('binaryen/bin/wasm-metadce');
  } catch {
    skip('binaryen is not installed');
  }
  const run = spawnSync(process.execPath, [metadce, '--all-features', input, '--graph-file', graphFile, '-o', output], {
    encoding: 'utf8',
  });
  if (run.status !== 0) skip(`wasm-metadce failed (${(run.stderr || '').split('\n')[0]})`);
  const small = readFileSync(output);
  writeFileSync(join(out, loader.RISTRETTO_WASM_FILE), small);
  writeFileSync(join(out, loader.RISTRETTO_NAMES_FILE), JSON.stringify(exportNames));
  console.log(`ristretto255 wasm: ${binary.length} → ${small.length} bytes`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
