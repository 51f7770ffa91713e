// Worker thread entry (bundled to dist/parseWorker.js): analyzes batches of files for ParsePool.
import { parentPort } from 'node:worker_threads';
import { analyzeBatch, floorBatch } from './batch';
import type { WorkerRequest, WorkerResponse } from './parsePool';

parentPort?.on('message', (msg: WorkerRequest) => {
  const work = msg.mode === 'floor' ? floorBatch(msg.jobs) : analyzeBatch(msg.jobs);
  void work.then((payload) => parentPort?.postMessage({ id: msg.id, payload } satisfies WorkerResponse));
});
