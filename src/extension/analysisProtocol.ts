/**
 * Messages between the extension host and its long-lived analysis worker (dist/analysisWorker.js).
 * The worker keeps one core `AnalysisSession` per store, so a run after an edit re-reads only the
 * changed paths; every run and abort carries the id of the run it is about. It also does the retrieval
 * for the host's questions, so that building a large repository's search index never blocks the editor.
 */
import type { AnalyzeProgress, AnalyzeStats } from '../core/analyze';
import type { PreparedAnswer, PrepareRequest } from '../core/ask';
import type { Logger } from '../core/logger';

/** One folder to analyze and its scan options. */
export interface AnalysisJob {
  root: string;
  storeDir: string;
  include?: string[];
  exclude?: string[];
  maxFileBytes?: number;
}

/** Host -> analysis worker. */
export type ToWorker =
  /** Analyze a folder; `changed` (folder-relative) limits the run to those paths, absent means a full run. */
  | { type: 'run'; id: number; job: AnalysisJob; changed?: string[] }
  /** Stop a run at its next await; what it did so far stays cached. */
  | { type: 'abort'; id: number }
  /** Retrieval for one question (served at once, beside any run). */
  | { type: 'prepare'; id: number; request: PrepareRequest }
  /** Build a folder's retrieval index now, while the editor is idle, for its next question. */
  | { type: 'warm'; id: number; job: AnalysisJob };

/** Analysis worker -> host. */
export type FromWorker =
  | { type: 'progress'; id: number; progress: AnalyzeProgress }
  | { type: 'log'; level: keyof Logger; message: string }
  | { type: 'done'; id: number; stats: AnalyzeStats }
  | { type: 'prepared'; id: number; prepared: PreparedAnswer }
  | { type: 'warmed'; id: number }
  | { type: 'error'; id: number; message: string };
