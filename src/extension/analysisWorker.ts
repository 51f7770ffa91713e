/**
 * Worker thread that runs one core `analyze` off the extension host's main thread. It parses in
 * its own thread (`parseWorkers: 0`) and stops at the next await when the host sends `abort`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyze } from '../core/analyze';
import type { Logger } from '../core/logger';
import type { AnalysisJob, FromWorker, ToWorker } from './analysisRunner';

function post(message: FromWorker): void {
  parentPort?.postMessage(message);
}

const logger: Logger = {
  debug: (message) => post({ type: 'log', level: 'debug', message }),
  info: (message) => post({ type: 'log', level: 'info', message }),
  warn: (message) => post({ type: 'log', level: 'warn', message }),
  error: (message) => post({ type: 'log', level: 'error', message }),
};

const controller = new AbortController();
parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'abort') controller.abort();
});

const job = workerData as AnalysisJob;
analyze({
  root: job.root,
  storeDir: job.storeDir,
  include: job.include,
  exclude: job.exclude,
  maxFileBytes: job.maxFileBytes,
  parseWorkers: 0,
  signal: controller.signal,
  logger,
  onProgress: (progress) => post({ type: 'progress', progress }),
}).then(
  (stats) => post({ type: 'done', stats }),
  (error: unknown) => post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
