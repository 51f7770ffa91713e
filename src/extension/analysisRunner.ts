import { Worker } from 'node:worker_threads';
import type { AnalyzeProgress, AnalyzeStats } from '../core/analyze';
import type { Logger } from '../core/logger';

/** What the host asks the analysis worker to do (its `workerData`). */
export interface AnalysisJob {
  root: string;
  storeDir: string;
  include?: string[];
  exclude?: string[];
  maxFileBytes?: number;
}

/** Host -> analysis worker. */
export type ToWorker = { type: 'abort' };

/** Analysis worker -> host. */
export type FromWorker =
  | { type: 'progress'; progress: AnalyzeProgress }
  | { type: 'log'; level: keyof Logger; message: string }
  | { type: 'done'; stats: AnalyzeStats }
  | { type: 'error'; message: string };

/** How long an aborted worker may take to save its cache before it is terminated. */
const ABORT_GRACE_MS = 5000;

/**
 * Run one analysis in a fresh worker thread (`script` is dist/analysisWorker.js). Aborting the
 * signal asks the worker to stop (work done so far stays cached); a worker that does not stop
 * within the grace period is terminated. Resolves with the stats, `cancelled: true` when aborted.
 */
export function runAnalysisWorker(
  script: string,
  job: AnalysisJob,
  options: { signal: AbortSignal; logger: Logger; onProgress?: (progress: AnalyzeProgress) => void },
): Promise<AnalyzeStats> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const cancelledStats = (): AnalyzeStats => ({
      files: { seen: 0, parsed: 0, reused: 0, skipped: {} },
      symbols: 0,
      notes: {},
      ms: {},
      peakRssMb: 0,
      warnings: [],
      cancelled: true,
    });
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = (): void => {
      worker.postMessage({ type: 'abort' } satisfies ToWorker);
      killTimer = setTimeout(() => finish(() => resolve(cancelledStats())), ABORT_GRACE_MS);
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'log') options.logger[message.level](message.message);
      else if (message.type === 'done') finish(() => resolve(options.signal.aborted ? { ...message.stats, cancelled: true } : message.stats));
      else finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => (options.signal.aborted ? resolve(cancelledStats()) : reject(new Error(`analysis worker exited with code ${code}`)))));
  });
}
