// libsodium's WebAssembly binary, instantiated here with only the five functions the OPRF
// calls, instead of through libsodium-wrappers-sumo. The package `libsodium-sumo` (ISC)
// ships the binary as base64 inside its emscripten script, next to a second, pure-JavaScript
// build of the whole library and ~700 wrapped functions; loading all of that cost ~4 MB more
// RSS than this (a bare node process, 200 values; docs/privacy.md). Here the script is read, the binary
// and the minified export names of our functions are taken out of it, and the script and the
// decoded bytes are dropped once the module is compiled. Nothing of the package's code runs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

// The part of the WebAssembly JS API used here (Node has it; this project's type libraries
// do not declare it: no DOM lib, and @types/node 20 leaves it out).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  compile(binary: Uint8Array): Promise<object>;
  Module: {
    new (binary: Uint8Array): object;
    imports(module: object): { module: string; name: string; kind: string }[];
  };
  instantiate(module: object, imports: object): Promise<{ exports: Record<string, unknown> }>;
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The C functions used, by the name the emscripten script exports them under (`Module._name`). */
export const SODIUM_FUNCTIONS = [
  'crypto_core_ristretto255_from_hash',
  'crypto_scalarmult_ristretto255',
  'crypto_core_ristretto255_scalar_invert',
  'crypto_core_ristretto255_scalar_reduce',
  'malloc',
] as const;
export type SodiumFunction = (typeof SODIUM_FUNCTIONS)[number];

export interface SodiumWasmSource {
  binary: Uint8Array;
  /** The WebAssembly export name of each C function. */
  exportNames: Record<SodiumFunction, string>;
}

const WASM_BASE64_START = '"AGFzbQ'; // `"` + base64 of the magic "\0asm" + version 1
const IDENTIFIER = /^[\w$]+\.([\w$]+)[,;]/;

/**
 * The binary and export names from libsodium-sumo's script, searched as bytes (a 1.2 MB
 * string of it cost ~0.6 MB of RSS that stayed). The script holds two builds; the
 * WebAssembly one's `Module._name=exports.x` assignments come last, so the last assignment
 * of each name is taken. Throws when the script does not have the expected shape.
 */
export function extractSodiumWasm(script: Buffer): SodiumWasmSource {
  const start = script.indexOf(WASM_BASE64_START);
  const end = start < 0 ? -1 : script.indexOf('"', start + 1);
  if (end < 0) throw new Error('libsodium-sumo: no embedded WebAssembly binary found');
  const exportNames = {} as Record<SodiumFunction, string>;
  for (const name of SODIUM_FUNCTIONS) {
    const at = script.lastIndexOf(`._${name}=`);
    const found =
      at < 0 ? undefined : IDENTIFIER.exec(script.toString('latin1', at + name.length + 3, at + name.length + 64));
    if (!found) throw new Error(`libsodium-sumo: no export for ${name}`);
    exportNames[name] = found[1];
  }
  return { binary: Buffer.from(script.toString('latin1', start + 1, end), 'base64'), exportNames };
}

/** The package's script (its CommonJS entry, where the binary is embedded). */
export async function readSodiumScript(moduleName = 'libsodium-sumo'): Promise<Buffer> {
  return readFile(require.resolve(moduleName));
}

/** The instantiated functions, each taking and returning addresses in `memory`. */
export interface SodiumWasm {
  memory: WasmMemory;
  call: Record<SodiumFunction, (...args: number[]) => number>;
}

export interface SodiumWasmOptions {
  /**
   * false: V8's baseline code (Liftoff) only, never optimised (TurboFan): 1.7-2.4 MB less RSS
   * in a bare process, ~1 MB in the agent (the optimised copies of the hot functions), ~1.6x
   * the CPU per new value (scripts/bench/oprf.bench.ts). The
   * flag is set around a synchronous compile and reset at once; the compiled module keeps
   * it, other modules (tfjs's) compile as before. For the agent, whose memory is tight and
   * whose new values are few once its cache is warm.
   */
  optimise?: boolean;
}

function compile(binary: Uint8Array, { optimise = true }: SodiumWasmOptions): Promise<object> {
  if (optimise) return wasm.compile(binary);
  setFlagsFromString('--liftoff-only');
  try {
    return Promise.resolve(new wasm.Module(binary)); // synchronous: no other compile sees the flag
  } finally {
    setFlagsFromString('--no-liftoff-only');
  }
}

/**
 * Compiles and instantiates the binary. The functions used compute only, so every import
 * (emscripten's abort, heap growth, random source) throws: a call to one is a fault, and the
 * RFC known answer in load-oprf-suite.ts would then fall back to noble.
 */
export async function instantiateSodiumWasm(
  source: SodiumWasmSource,
  options: SodiumWasmOptions = {},
): Promise<SodiumWasm> {
  const module = await compile(source.binary, options);
  const imports: Record<string, Record<string, () => never>> = {};
  for (const { module: from, name, kind } of wasm.Module.imports(module)) {
    if (kind !== 'function') throw new Error(`libsodium-sumo imports a ${kind} (${from}.${name})`);
    (imports[from] ??= {})[name] = () => {
      throw new Error(`libsodium-sumo called its host (${from}.${name})`);
    };
  }
  // Not destructured as `exports`: that would shadow CommonJS's own in the compiled file.
  const instance = await wasm.instantiate(module, imports);
  const exported = instance.exports;
  const memories = Object.values(exported).filter((e) => e instanceof wasm.Memory);
  if (memories.length !== 1) throw new Error('libsodium-sumo: expected one exported memory');
  const call = {} as SodiumWasm['call'];
  for (const name of SODIUM_FUNCTIONS) {
    const fn = exported[source.exportNames[name]];
    if (typeof fn !== 'function') throw new Error(`libsodium-sumo: export for ${name} is not a function`);
    call[name] = fn as (...args: number[]) => number;
  }
  return { memory: memories[0], call };
}

/** The cut-down binary (shared/build/ristretto-wasm.mjs writes it at build) and its export names. */
export const RISTRETTO_WASM_FILE = 'ristretto255.wasm';
export const RISTRETTO_NAMES_FILE = 'ristretto255.json';

/**
 * The build's cut-down binary beside this file, or undefined where the build did not make it
 * (or its names are not the five functions' identifiers).
 */
export async function readRistrettoWasm(folder = __dirname): Promise<SodiumWasmSource | undefined> {
  try {
    const [binary, names] = await Promise.all([
      readFile(join(folder, RISTRETTO_WASM_FILE)),
      readFile(join(folder, RISTRETTO_NAMES_FILE), 'utf8'),
    ]);
    const parsed = JSON.parse(names) as Record<string, unknown>;
    const exportNames = {} as Record<SodiumFunction, string>;
    for (const name of SODIUM_FUNCTIONS) {
      const exported = parsed[name];
      if (typeof exported !== 'string' || !/^[\w$]{1,16}$/.test(exported)) return undefined;
      exportNames[name] = exported;
    }
    return { binary, exportNames };
  } catch {
    return undefined;
  }
}

/**
 * Instantiates libsodium: the build's cut-down binary when there is one (libsodium-sumo only),
 * else the whole binary extracted from the package's script; keeps neither text nor binary.
 */
export async function loadSodiumWasm(
  moduleName = 'libsodium-sumo',
  options: SodiumWasmOptions = {},
): Promise<SodiumWasm> {
  const small = moduleName === 'libsodium-sumo' ? await readRistrettoWasm() : undefined;
  return instantiateSodiumWasm(small ?? extractSodiumWasm(await readSodiumScript(moduleName)), options);
}
