// Where the OPRF key's curve arithmetic runs. In a worker thread by default: one scalar
// multiplication is ~1-2 ms on an idle core and 15 ms or more under load, so a batch of 64
// on the event loop would stall HTTP, the dashboard's stream and every agent's Session for
// up to a second. Requests queue in the worker (one at a time, in order); the loop only
// copies 32-byte elements. Inline is kept for tests and tiny sites (WARDWATCH_PSEUDONYM_EVALUATION=inline).
// A worker that dies fails the calls it held (agents retry with backoff) and is started again
// at the next call.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EvaluationAnswer, EvaluationRequest, EvaluationWorkerData } from './evaluation-worker';
import type { OprfKey } from './oprf-key';

/** Nest's token for the BlindEvaluator the module chose. */
export const BLIND_EVALUATOR = Symbol('BLIND_EVALUATOR');

export interface BlindEvaluator {
  /** One result per element, in order; undefined for an element that is not a valid group element. */
  evaluate(blinded: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  close(): Promise<void>;
}

export class InlineBlindEvaluator implements BlindEvaluator {
  constructor(private readonly key: OprfKey) {}

  evaluate(blinded: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    return Promise.resolve(blinded.map((element) => this.key.evaluate(element)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Waiting {
  resolve(evaluated: (Uint8Array | undefined)[]): void;
  reject(error: Error): void;
}

export class WorkerBlindEvaluator implements BlindEvaluator {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(private readonly key: OprfKey) {}

  evaluate(blinded: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: EvaluationRequest = { id, blinded: blinded.map((b) => Uint8Array.from(b)) };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the OPRF worker was stopped'));
    await worker?.terminate();
  }

  private start(): Worker {
    const compiled = join(__dirname, 'evaluation-worker.js');
    // From sources (tsx, vitest) the worker runs the .ts file through tsx's CommonJS loader.
    const script = existsSync(compiled) ? compiled : join(__dirname, 'evaluation-worker.ts');
    const source = script.endsWith('.ts')
      ? `require('tsx/cjs/api').register(); require(${JSON.stringify(script)});`
      : script;
    const data: EvaluationWorkerData = { wardwatchOprfWorker: true, secretKey: this.key.secretForWorker() };
    const worker = new Worker(source, { eval: script.endsWith('.ts'), workerData: data });
    // Never keeps the manager alive by itself; close() ends it at shutdown.
    worker.unref();
    worker.on('message', (answer: EvaluationAnswer) => {
      const waiting = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      waiting?.resolve(answer.evaluated.map((e) => (e === null ? undefined : e)));
    });
    const died = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(error);
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`the OPRF worker exited with code ${code}`)));
    return worker;
  }

  private failAll(error: Error): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(error);
  }
}
