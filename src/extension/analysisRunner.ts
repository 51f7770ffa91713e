import { Worker } from 'node:worker_threads';
import type { AnalyzeProgress, AnalyzeStats } from '../core/analyze';
import type { Logger } from '../core/logger';
import type { AnalysisJob, FromWorker, ToWorker } from './analysisProtocol';

/** The part of a `worker_threads.Worker` the client uses (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): unknown;
}

/** Options of one run. */
export interface WorkerRunOptions {
  /** Folder-relative paths changed since the last run; absent: full run. */
  changed?: string[];
  signal: AbortSignal;
  onProgress?: (progress: AnalyzeProgress) => void;
}

interface PendingRun {
  resolve(stats: AnalyzeStats): void;
  reject(error: Error): void;
  options: WorkerRunOptions;
  cleanup(): void;
}

/** How long an aborted run may take to save its cache before the worker is terminated. */
const ABORT_GRACE_MS = 5000;

/** Stats of a run that was stopped before the worker answered. */
export function cancelledStats(): AnalyzeStats {
  return { files: { seen: 0, parsed: 0, reused: 0, skipped: {} }, symbols: 0, notes: {}, ms: {}, peakRssMb: 0, warnings: [], cancelled: true };
}

/** A worker from the bundled script (dist/analysisWorker.js). */
export function spawnAnalysisWorker(script: string): WorkerLike {
  return new Worker(script);
}

/**
 * Host side of the long-lived analysis worker: starts it on the first run, keeps it (and the
 * sessions it holds) between runs, and starts a new one only after it died or ignored an abort.
 */
export class AnalysisWorkerClient {
  private worker: WorkerLike | undefined;
  private readonly pending = new Map<number, PendingRun>();
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly spawn: () => WorkerLike,
    private readonly logger: Logger,
    private readonly abortGraceMs = ABORT_GRACE_MS,
  ) {}

  /** True while a worker thread is alive. */
  get alive(): boolean {
    return this.worker !== undefined;
  }

  /**
   * Analyze one folder in the worker. Aborting `signal` asks the worker to stop (work done so far
   * stays cached); a worker that does not answer within the grace period is terminated. Resolves
   * with the stats, `cancelled: true` when aborted; rejects when the analysis failed.
   */
  run(job: AnalysisJob, options: WorkerRunOptions): Promise<AnalyzeStats> {
    if (this.disposed) return Promise.resolve(cancelledStats());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let graceTimer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        worker.postMessage({ type: 'abort', id });
        graceTimer = setTimeout(() => {
          this.logger.warn('analysis worker ignored an abort; restarting it');
          this.kill();
        }, this.abortGraceMs);
      };
      const cleanup = (): void => {
        clearTimeout(graceTimer);
        options.signal.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, { resolve, reject, options, cleanup });
      worker.postMessage({ type: 'run', id, job, changed: options.changed });
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Terminate the worker; runs in flight resolve as cancelled. */
  dispose(): void {
    this.disposed = true;
    this.kill();
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    this.worker = worker;
    worker.on('message', (message) => this.onMessage(message));
    worker.on('error', (error) => this.onExit(worker, error));
    worker.on('exit', (code) => this.onExit(worker, new Error(`analysis worker exited with code ${code}`)));
    return worker;
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'log') {
      this.logger[message.level](message.message);
      return;
    }
    const run = this.pending.get(message.id);
    if (!run) return;
    if (message.type === 'progress') {
      run.options.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    run.cleanup();
    if (message.type === 'done') run.resolve(run.options.signal.aborted ? { ...message.stats, cancelled: true } : message.stats);
    else if (run.options.signal.aborted) run.resolve(cancelledStats());
    else run.reject(new Error(message.message));
  }

  /** The worker died (or was terminated): settle its runs; the next run starts a new worker. */
  private onExit(worker: WorkerLike, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.settleAll(error);
  }

  private kill(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
    this.settleAll(new Error('analysis worker terminated'));
  }

  private settleAll(error: Error): void {
    for (const [id, run] of this.pending) {
      this.pending.delete(id);
      run.cleanup();
      if (run.options.signal.aborted || this.disposed) run.resolve(cancelledStats());
      else run.reject(error);
    }
  }
}
