// The worker thread that does the OPRF curve arithmetic (oprf-evaluator.ts starts it), so
// an agent's batch never holds the manager's event loop (HTTP, the dashboard's stream,
// every agent's Session). It holds the key for its life, given in workerData by the
// process that unsealed it; it answers each request with one result per element, null for
// an element that is not a canonical non-identity ristretto255 encoding.
import { loadOprfSuite } from '@wardwatch/shared/oprf';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { OprfKey } from './oprf-key';

export interface EvaluationRequest {
  id: number;
  blinded: Uint8Array[];
}

export interface EvaluationAnswer {
  id: number;
  evaluated: (Uint8Array | null)[];
}

export interface EvaluationWorkerData {
  wardwatchOprfWorker: true;
  secretKey: Uint8Array;
}

function isWorkerData(data: unknown): data is EvaluationWorkerData {
  return typeof data === 'object' && data !== null && (data as EvaluationWorkerData).wardwatchOprfWorker === true;
}

if (!isMainThread && parentPort && isWorkerData(workerData)) {
  const secret = Uint8Array.from(workerData.secretKey);
  // The thread loads its own group library; requests that arrive meanwhile wait in order.
  const key = loadOprfSuite().then(({ suite }) => new OprfKey(secret, suite));
  const port = parentPort;
  port.on('message', (request: EvaluationRequest) => {
    void key.then((k) => {
      const answer: EvaluationAnswer = {
        id: request.id,
        evaluated: request.blinded.map((element) => k.evaluate(Uint8Array.from(element)) ?? null),
      };
      port.postMessage(answer);
    });
  });
}
