import { AnalysisSession, type AnalyzeStats, type RunOptions } from '../core/analyze';
import { prepareAnswer, warmRetrieval, type PreparedAnswer, type PrepareRequest } from '../core/ask';
import type { Logger } from '../core/logger';
import type { AnalysisJob, FromWorker, ToWorker } from './analysisProtocol';

/** The part of a core `AnalysisSession` the service uses (tests pass a fake). */
export interface SessionLike {
  run(opts: RunOptions): Promise<AnalyzeStats>;
}

/** Opens the session of one store. */
export type OpenSession = (job: AnalysisJob, logger: Logger) => Promise<SessionLike>;

/** Opens a real core session. */
export const openCoreSession: OpenSession = (job, logger) => AnalysisSession.open({ root: job.root, storeDir: job.storeDir, logger });

/** Works out an answer's retrieval (core `prepareAnswer`, or a fake in tests). */
export type PrepareAnswer = (request: PrepareRequest, logger: Logger) => Promise<PreparedAnswer>;
/** Builds a folder's retrieval index ahead of its questions (core `warmRetrieval`, or a fake in tests). */
export type WarmRetrieval = (job: AnalysisJob, logger: Logger) => Promise<void>;

/**
 * The analysis worker's logic, apart from the thread plumbing: one session per store kept between
 * runs, runs served one at a time in arrival order, aborts routed to the run they name; questions are
 * prepared at once, without waiting for the runs queued before them.
 */
export class AnalysisService {
  private readonly sessions = new Map<string, Promise<SessionLike>>();
  private readonly aborts = new Map<number, AbortController>();
  private queue: Promise<void> = Promise.resolve();
  private readonly logger: Logger;

  constructor(
    private readonly post: (message: FromWorker) => void,
    private readonly openSession: OpenSession = openCoreSession,
    private readonly prepare: PrepareAnswer = prepareAnswer,
    private readonly warm: WarmRetrieval = (job, logger) => warmRetrieval(job.root, job.storeDir, logger),
  ) {
    this.logger = {
      debug: (message) => post({ type: 'log', level: 'debug', message }),
      info: (message) => post({ type: 'log', level: 'info', message }),
      warn: (message) => post({ type: 'log', level: 'warn', message }),
      error: (message) => post({ type: 'log', level: 'error', message }),
    };
  }

  /** Handle one message from the host; resolves when a run it started has been answered. */
  handle(message: ToWorker): Promise<void> {
    if (message.type === 'abort') {
      this.aborts.get(message.id)?.abort();
      return Promise.resolve();
    }
    if (message.type === 'prepare') return this.answer(message);
    if (message.type === 'warm') return this.warmUp(message);
    const controller = new AbortController();
    this.aborts.set(message.id, controller);
    const run = this.queue.then(() => this.run(message, controller.signal));
    this.queue = run;
    return run;
  }

  private async run(message: Extract<ToWorker, { type: 'run' }>, signal: AbortSignal): Promise<void> {
    const { id, job, changed } = message;
    try {
      const session = await this.session(job);
      const stats = await session.run({
        include: job.include,
        exclude: job.exclude,
        maxFileBytes: job.maxFileBytes,
        changed,
        parseWorkers: 0,
        signal,
        onProgress: (progress) => this.post({ type: 'progress', id, progress }),
      });
      this.post({ type: 'done', id, stats });
    } catch (error) {
      // A session that failed may hold half-updated state: the next run opens a fresh one.
      this.sessions.delete(job.storeDir);
      this.post({ type: 'error', id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    } finally {
      this.aborts.delete(id);
    }
  }

  private async answer({ id, request }: Extract<ToWorker, { type: 'prepare' }>): Promise<void> {
    try {
      this.post({ type: 'prepared', id, prepared: await this.prepare(request, this.logger) });
    } catch (error) {
      this.post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async warmUp({ id, job }: Extract<ToWorker, { type: 'warm' }>): Promise<void> {
    try {
      await this.warm(job, this.logger);
      this.post({ type: 'warmed', id });
    } catch (error) {
      this.post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private session(job: AnalysisJob): Promise<SessionLike> {
    let s = this.sessions.get(job.storeDir);
    if (!s) {
      s = this.openSession(job, this.logger);
      this.sessions.set(job.storeDir, s);
    }
    return s;
  }
}
