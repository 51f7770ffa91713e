// Worker thread entry (bundled to dist/parseWorker.js): analyzes batches of files for ParsePool.
import { parentPort } from 'node:worker_threads';
import { analyzeBatch, floorBatch } from './batch';
import { loadGrammar, useCompiledModules } from './grammars';
import type { WorkerRequest, WorkerResponse } from './parsePool';

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.mode === 'compiled') {
    useCompiledModules(msg.modules);
    return;
  }
  if (msg.mode === 'prepare') {
    // A grammar that fails here fails again, with its message, for the files that need it.
    for (const language of msg.languages) loadGrammar(language).catch(() => undefined);
    return;
  }
  const work = msg.mode === 'floor' ? floorBatch(msg.jobs) : analyzeBatch(msg.jobs);
  void work.then((payload) => parentPort?.postMessage({ id: msg.id, payload } satisfies WorkerResponse));
});
