// Sealing throughput (issue #9, item 7): the agent's envelope (agent/src/protection/sealing/)
// beside raw AES-256-GCM over the same data, in the same run. Target: the envelope at >= 80 %
// of raw, both ways.
//
// 1. Memory: WW_SEAL_MB (256) MiB of random data fed in 1 MiB pieces through the envelope's
//    chunk stream (seal, then open), and through one raw AES-256-GCM cipher (update per piece).
// 2. Files: a WW_SEAL_FILE_MB (128) MiB file sealed and unsealed with sealFile/unsealFile (temp
//    file, fsync, rename; the data key wrapped and unwrapped with X25519 as the manager does),
//    beside a raw pipeline read → AES-256-GCM → write (+ fsync) of the same file, read in
//    pieces of the envelope's chunk size; the raw side removes
//    its input as sealing does.
// WW_RUNS (3) runs each; the median is printed, with the ratio envelope / raw.
//   npm run bench:seal
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openChunks, sealChunks } from '../../agent/src/protection/sealing/chunk-stream';
import { DEFAULT_CHUNK_BYTES, sealFile, unsealFile } from '../../agent/src/protection/sealing/sealed-file';
import { testKek } from '../../agent/src/protection/sealing/sealing.fixture';

const MB = 1_048_576;
const MEMORY_MB = Number(process.env.WW_SEAL_MB ?? 256);
const FILE_MB = Number(process.env.WW_SEAL_FILE_MB ?? 128);
const RUNS = Number(process.env.WW_RUNS ?? 3);
const PIECE = MB;

const pieces = Array.from({ length: MEMORY_MB }, () => randomBytes(PIECE));
const keyBytes = randomBytes(32);
const key = createSecretKey(keyBytes);
const digest = randomBytes(32);

function from(list: Buffer[]): AsyncIterable<Buffer> {
  return Readable.from(list, { objectMode: true });
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const piece of source) out.push(piece);
  return out;
}

async function timed(mb: number, work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return mb / (Number(process.hrtime.bigint() - start) / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function rawGcm(list: Buffer[], decrypt: boolean): Promise<Buffer[]> {
  const iv = randomBytes(12);
  const cipher = decrypt ? createDecipheriv('aes-256-gcm', key, iv) : createCipheriv('aes-256-gcm', key, iv);
  const out = list.map((piece) => cipher.update(piece));
  if (!decrypt) cipher.final();
  return Promise.resolve(out);
}

async function memory(): Promise<Record<string, number[]>> {
  const results: Record<string, number[]> = { envSeal: [], rawSeal: [], envOpen: [], rawOpen: [] };
  for (let run = 0; run < RUNS; run++) {
    let sealed: Buffer[] = [];
    // Alternated, so that neither side always runs on a warmer (or busier) machine.
    const steps = [
      async () => results.rawSeal.push(await timed(MEMORY_MB, () => rawGcm(pieces, false))),
      async () =>
        results.envSeal.push(
          await timed(MEMORY_MB, async () => {
            sealed = await collect(sealChunks(from(pieces), key, digest, DEFAULT_CHUNK_BYTES));
          }),
        ),
      // Raw decryption without the tag check, i.e. its best case.
      async () => results.rawOpen.push(await timed(MEMORY_MB, () => rawGcm(pieces, true))),
      async () =>
        results.envOpen.push(
          await timed(MEMORY_MB, () => collect(openChunks(from(sealed), key, digest, DEFAULT_CHUNK_BYTES))),
        ),
    ];
    const order = run % 2 === 0 ? [0, 1, 2, 3] : [1, 3, 0, 2];
    for (const step of order) await steps[step]();
  }
  return results;
}

async function rawFile(input: string, output: string, decrypt: boolean): Promise<void> {
  const iv = randomBytes(12);
  const cipher = decrypt ? createDecipheriv('aes-256-gcm', key, iv) : createCipheriv('aes-256-gcm', key, iv);
  await pipeline(
    // The same read size as the envelope's (one chunk), so neither side wins on I/O granularity.
    createReadStream(input, { highWaterMark: DEFAULT_CHUNK_BYTES }),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const piece of source) yield cipher.update(piece);
    },
    createWriteStream(output, { mode: 0o600 }),
  );
  const handle = await open(output, 'r');
  await handle.sync();
  await handle.close();
}

async function files(): Promise<Record<string, number[]>> {
  const dir = mkdtempSync(join(process.env.WW_BENCH_DIR ?? tmpdir(), 'ww-seal-bench-'));
  const results: Record<string, number[]> = { envSeal: [], rawSeal: [], envOpen: [], rawOpen: [] };
  const content = Buffer.concat(pieces.slice(0, FILE_MB));
  const kek = testKek();
  try {
    for (let run = 0; run < RUNS; run++) {
      const rawPlain = join(dir, `raw-${run}.dcm`);
      const envPlain = join(dir, `env-${run}.dcm`);
      writeFileSync(rawPlain, content);
      writeFileSync(envPlain, content);
      let sealed = '';
      // Sealing replaces the clear file, so the raw side removes its input too: like for like.
      const raw = async () => {
        results.rawSeal.push(
          await timed(FILE_MB, async () => {
            await rawFile(rawPlain, `${rawPlain}.raw`, false);
            await rm(rawPlain);
          }),
        );
        results.rawOpen.push(await timed(FILE_MB, () => rawFile(`${rawPlain}.raw`, `${rawPlain}.out`, true)));
      };
      const envelope = async () => {
        results.envSeal.push(
          await timed(FILE_MB, async () => {
            sealed = await sealFile(envPlain, kek.kek, { policyVersion: 1 });
          }),
        );
        results.envOpen.push(await timed(FILE_MB, () => unsealFile(sealed, `${envPlain}.out`, kek.unwrap)));
      };
      // Alternated, as in memory().
      if (run % 2 === 0) {
        await raw();
        await envelope();
      } else {
        await envelope();
        await raw();
      }
      await Promise.all(
        [sealed, `${rawPlain}.raw`, `${rawPlain}.out`, `${envPlain}.out`].map((p) => rm(p, { force: true })),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function report(title: string, mb: number, r: Record<string, number[]>): void {
  const row = (what: string, env: number[], raw: number[]) =>
    `  ${what.padEnd(7)} envelope ${median(env).toFixed(0).padStart(6)} MB/s   raw AES-256-GCM ${median(raw)
      .toFixed(0)
      .padStart(6)} MB/s   ratio ${((100 * median(env)) / median(raw)).toFixed(1)} %`;
  console.log(`${title} (${mb} MiB, median of ${RUNS})`);
  console.log(row('seal', r.envSeal, r.rawSeal));
  console.log(row('unseal', r.envOpen, r.rawOpen));
}

async function main(): Promise<void> {
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  report('memory', MEMORY_MB, await memory());
  report('files', FILE_MB, await files());
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

void main();
