import { fork } from 'node:child_process';
import type { AnalyzeProgress, AnalyzeStats } from '../core/analyze';
import type { PreparedAnswer, PrepareRequest } from '../core/ask';
import type { Logger } from '../core/logger';
import { BASELINE_WASM_FLAG } from '../core/parse/wasmCompiler';
import type { AnalysisJob, FromWorker, ToWorker } from './analysisProtocol';

/** What the client needs of the analysis process (tests pass a fake). */
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

/**
 * The analysis process from the bundled script (dist/analysisWorker.js). A child process rather than a
 * thread: the WebAssembly memory of the grammars, which never shrinks, is not the extension host's, and
 * V8 can compile it with the baseline compiler only (see core/parse/wasmCompiler.ts), a process-wide
 * setting the extension host must not get.
 */
export function spawnAnalysisWorker(script: string): WorkerLike {
  // In VS Code desktop `process.execPath` is Electron: ELECTRON_RUN_AS_NODE makes it run the script as Node.
  const child = fork(script, [], {
    execArgv: [BASELINE_WASM_FLAG],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const worker: WorkerLike = {
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    on: (event: 'message' | 'error' | 'exit', listener: (arg: never) => void) => {
      if (event === 'exit') return child.on('exit', (code, signal) => (listener as (code: number) => void)(code ?? (signal ? 1 : 0)));
      return child.on(event, listener as (arg: unknown) => void);
    },
    terminate: () => child.kill(),
  };
  return worker;
}

/**
 * Host side of the long-lived analysis worker: starts it on the first run, keeps it (and the
 * sessions it holds) between runs, and starts a new one only after it died or ignored an abort.
 */
export class AnalysisWorkerClient {
  private worker: WorkerLike | undefined;
  private readonly pending = new Map<number, PendingRun>();
  /** Questions and warm-ups the worker is busy with. */
  private readonly questions = new Map<number, { resolve(prepared?: PreparedAnswer): void; reject(error: Error): void }>();
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly spawn: () => WorkerLike,
    private readonly logger: Logger,
    private readonly abortGraceMs = ABORT_GRACE_MS,
  ) {}

  /** True while the analysis process is alive. */
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
        const expire = (): void => {
          // A worker busy with a question (a large repository's first index) answers the abort after it.
          if (this.questions.size) {
            graceTimer = setTimeout(expire, this.abortGraceMs);
            return;
          }
          this.logger.warn('analysis worker ignored an abort; restarting it');
          this.kill();
        };
        graceTimer = setTimeout(expire, this.abortGraceMs);
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

  /**
   * The retrieval for one question, worked out in the worker (which starts if need be) so that the extension
   * host never builds a search index itself. Aborting `signal` settles the promise at once; the worker's
   * answer is then dropped. Rejects with the worker's one-line message (no notes yet, an unreadable store).
   */
  prepare(request: PrepareRequest, signal?: AbortSignal): Promise<PreparedAnswer> {
    return this.request((id) => ({ type: 'prepare', id, request }), signal) as Promise<PreparedAnswer>;
  }

  /**
   * Has the worker build the folder's retrieval index now (after an analysis, while the editor is idle), so
   * that its next question is answered at once. Rejects when the folder has no notes.
   */
  async warm(job: AnalysisJob): Promise<void> {
    await this.request((id) => ({ type: 'warm', id, job }));
  }

  /** Posts `message` (given its id) and settles with the worker's answer to it. */
  private request(message: (id: number) => ToWorker, signal?: AbortSignal): Promise<PreparedAnswer | undefined> {
    if (this.disposed) return Promise.reject(new Error('Sleeptime is shutting down'));
    signal?.throwIfAborted();
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.questions.delete(id);
        reject(new Error('stopped'));
      };
      const settle = <T>(fn: (value: T) => void) => (value: T): void => {
        signal?.removeEventListener('abort', onAbort);
        fn(value);
      };
      this.questions.set(id, { resolve: settle(resolve), reject: settle(reject) });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage(message(id));
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
    const question = this.questions.get(message.id);
    if (question) {
      this.questions.delete(message.id);
      if (message.type === 'prepared') question.resolve(message.prepared);
      else if (message.type === 'warmed') question.resolve();
      else if (message.type === 'error') question.reject(new Error(message.message));
      return;
    }
    const run = this.pending.get(message.id);
    if (!run || message.type === 'prepared' || message.type === 'warmed') return;
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
    for (const [id, question] of this.questions) {
      this.questions.delete(id);
      question.reject(error);
    }
    for (const [id, run] of this.pending) {
      this.pending.delete(id);
      run.cleanup();
      if (run.options.signal.aborted || this.disposed) run.resolve(cancelledStats());
      else run.reject(error);
    }
  }
}
