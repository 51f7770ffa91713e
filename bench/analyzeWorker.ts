// Runs one analysis either in a worker thread (the benchmark measures the main thread's event-loop delay
// meanwhile) or as a child process `analyzeWorker.ts ROOT STORE` printing {stats, wallMs} as JSON.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { analyze, type AnalyzeOptions } from '../src/core/analyze';

if (isMainThread) {
  const [root, storeDir] = process.argv.slice(2);
  const t0 = performance.now();
  analyze({ root, storeDir, parseWorkers: 2 }).then(
    (stats) => process.stdout.write(JSON.stringify({ stats, wallMs: Math.round(performance.now() - t0) }) + '\n'),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
} else {
  analyze(workerData as AnalyzeOptions).then(
    (stats) => parentPort?.postMessage({ stats }),
    (err: unknown) => parentPort?.postMessage({ error: String(err) }),
  );
}
